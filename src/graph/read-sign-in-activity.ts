import type { SignInRead } from "../model/economics.js";
import type { GraphConnection } from "./create-graph-client.js";
import { graphErrorInfo, graphFailure } from "./graph-errors.js";
import { collectPages, getWithRetry } from "./paging.js";
import { PAGE_SIZE } from "./read-live-state.js";

/**
 * Users' sign-in activity: returned only with `$select`, and only in a tenant
 * with Microsoft Entra ID P1 or P2 to an app holding AuditLog.Read.All. Read
 * only when asked for, in its own pages, so a plan never needs that permission.
 */
export const SIGN_IN_URL = `/users?$select=id,signInActivity&$top=${PAGE_SIZE}`;

interface RawSignIn {
  readonly id: string;
  readonly signInActivity?: {
    readonly lastSignInDateTime?: string | null;
    readonly lastNonInteractiveSignInDateTime?: string | null;
  } | null;
}

const latest = (a: string | null | undefined, b: string | null | undefined): string | null => {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
};

/**
 * Reads every user's last sign-in (interactive or not). A 403 (no premium
 * license in the tenant, or no AuditLog.Read.All) makes the activity
 * unavailable, with Graph's reason, instead of failing the report.
 */
export async function readSignInActivity(connection: GraphConnection): Promise<SignInRead> {
  const first = await getWithRetry(connection, SIGN_IN_URL);
  if (first.status === 403) {
    const info = graphErrorInfo(first.status, first.body);
    return {
      available: false,
      reason: `Graph refused users' signInActivity (${info.code}: ${info.message}); it needs Microsoft Entra ID P1 or P2 in the tenant and AuditLog.Read.All`,
    };
  }
  if (first.status < 200 || first.status >= 300)
    throw graphFailure("GET", SIGN_IN_URL, first.status, first.body);
  const lastSignIn = new Map<string, string | null>();
  const add = (raw: RawSignIn) =>
    lastSignIn.set(
      raw.id.toLowerCase(),
      latest(raw.signInActivity?.lastSignInDateTime, raw.signInActivity?.lastNonInteractiveSignInDateTime),
    );
  const page = (first.body ?? {}) as { value?: RawSignIn[]; "@odata.nextLink"?: string };
  for (const raw of page.value ?? []) add(raw);
  const next = page["@odata.nextLink"];
  if (typeof next === "string" && next !== "") await collectPages(connection, next, add);
  return { available: true, lastSignIn };
}
