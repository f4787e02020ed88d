import { LicensectlError } from "../model/errors.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { digestOf, stableStringify } from "../util/digest.js";
import { TOOL_VERSION } from "../version.js";

/**
 * The plan file (`plan --out`): the Plan as pretty JSON plus a top-level
 * `digest` over everything else, so a hand-edited plan is refused instead of
 * applied. The digest is not a signature: it catches edits, not attackers.
 */
export function serializePlan(plan: Plan): string {
  const { digest: _ignored, ...rest } = plan as Plan & { digest?: string };
  return `${JSON.stringify({ ...rest, digest: digestOf(rest) }, null, 2)}\n`;
}

const REQUIRED = [
  "toolVersion",
  "createdAt",
  "tenant",
  "mode",
  "manifestDigest",
  "liveDigest",
  "summary",
  "seats",
  "warnings",
  "waves",
];

/** Reads a plan file written by serializePlan; throws LicensectlError when it cannot be trusted. */
export function parsePlanFile(text: string, file: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LicensectlError(
      "plan-file-unreadable",
      `${file} is not a licensectl plan file: it is not valid JSON`,
      {
        hint: "Pass the file written by `licensectl plan --out`.",
        cause: error,
      },
    );
  }
  if (data === null || typeof data !== "object" || Array.isArray(data) || !("formatVersion" in data)) {
    throw new LicensectlError(
      "plan-file-unreadable",
      `${file} is not a licensectl plan file: it has no formatVersion`,
      {
        hint: "Pass the file written by `licensectl plan --out`.",
      },
    );
  }
  const record = data as Record<string, unknown>;
  if (record.formatVersion !== PLAN_FORMAT_VERSION) {
    const maker =
      typeof record.toolVersion === "string" ? `licensectl ${record.toolVersion}` : "another licensectl";
    throw new LicensectlError(
      "plan-format-unsupported",
      `${file} has plan format ${String(record.formatVersion)}, made by ${maker}; this is licensectl ${TOOL_VERSION}, which reads format ${PLAN_FORMAT_VERSION}`,
      {
        hint: "Run `licensectl plan` again with this version, or apply with the version that made the plan.",
      },
    );
  }
  const missing = REQUIRED.filter((key) => !(key in record));
  if (missing.length > 0) {
    throw new LicensectlError(
      "plan-file-unreadable",
      `${file} is not a complete plan: ${missing.join(", ")} missing`,
      {
        hint: "Run `licensectl plan --out` again.",
      },
    );
  }
  const { digest, ...rest } = record;
  if (typeof digest !== "string" || digest !== digestOf(rest)) {
    throw new LicensectlError(
      "plan-file-tampered",
      `${file} was changed after licensectl wrote it (its digest does not match)`,
      {
        hint: "Do not edit plan files; change the manifests and run `licensectl plan --out` again.",
      },
    );
  }
  return rest as unknown as Plan;
}

/**
 * A plan applies only to the tenant, manifests and live state it was made
 * from. Each difference is its own error, so the user sees everything that moved.
 */
export function checkPlanIsCurrent(
  plan: Plan,
  current: { readonly liveDigest: string; readonly manifestDigest: string; readonly tenantId: string },
): Problem[] {
  const problems: Problem[] = [];
  const rerun = "Run `licensectl plan` again and review the new plan.";
  if (plan.tenant.id.toLowerCase() !== current.tenantId.toLowerCase())
    problems.push({
      code: "stale-plan",
      severity: "error",
      message: `the plan was made for tenant ${plan.tenant.id}, but the signed-in tenant is ${current.tenantId.toLowerCase()}`,
      hint: "Sign in to the tenant the plan was made for, or make a new plan.",
    });
  if (plan.manifestDigest !== current.manifestDigest)
    problems.push({
      code: "stale-plan",
      severity: "error",
      message: "the manifests changed since the plan was made",
      hint: rerun,
    });
  if (plan.liveDigest !== current.liveDigest)
    problems.push({
      code: "stale-plan",
      severity: "error",
      message: `the tenant's licenses changed since the plan was made (${plan.createdAt})`,
      hint: rerun,
    });
  return problems;
}

/** What a plan writes and what its guards allow: ids, SKUs, plans, order, mode and limits; no wording. */
function decisiveContent(plan: Plan): string {
  const ids = (refs: readonly { id: string }[]) => refs.map((r) => r.id.toLowerCase());
  const skus = (refs: readonly { skuId: string }[]) => refs.map((r) => r.skuId.toLowerCase());
  return stableStringify({
    tenant: plan.tenant.id.toLowerCase(),
    mode: plan.mode,
    maxRemovals: plan.maxRemovals ?? null,
    removals: plan.summary.removals,
    waves: plan.waves.map((wave) => ({
      kind: wave.kind,
      waitForGroups: (wave.waitForGroups ?? []).map((id) => id.toLowerCase()),
      changes: wave.changes.map((change) =>
        change.kind === "setUsageLocation"
          ? { kind: change.kind, user: change.user.id.toLowerCase(), to: change.to }
          : {
              kind: change.kind,
              target: `${change.target.kind}:${change.target.id.toLowerCase()}`,
              add: change.add.map((a) => ({ skuId: a.skuId.toLowerCase(), disabled: ids(a.disabledPlans) })),
              update: change.update.map((u) => ({
                skuId: u.skuId.toLowerCase(),
                disabled: ids(u.toDisabledPlans),
              })),
              remove: skus(change.remove),
            },
      ),
    })),
  });
}

/**
 * Whether a fresh plan is the reviewed one: the same changes to the same
 * principals, in the same waves with the same waits, under the same guards
 * (mode, removal count and limit). Wording, timestamps, seat counts and the
 * rest of the tenant do not matter; a plan cannot be made at all when seats
 * no longer suffice.
 */
export function planIsTheReviewedOne(reviewed: Plan, fresh: Plan): boolean {
  try {
    return decisiveContent(reviewed) === decisiveContent(fresh);
  } catch {
    // Not even shaped like a plan: an edit that kept the required keys.
    return false;
  }
}
