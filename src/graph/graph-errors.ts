import { LicensectlError } from "../model/errors.js";
import type { GraphErrorInfo } from "./write-operations.js";

/**
 * The least Microsoft Graph permission a request needs, by method and path
 * (relative to /v1.0, query ignored). Used to turn a 403 into advice.
 */
export function permissionFor(method: string, path: string): string {
  let p = path
    .split("?")[0]!
    .toLowerCase()
    .replace(/^https?:\/\/[^/]+/, "");
  const version = p.indexOf("/v1.0/");
  if (version >= 0) p = p.slice(version + "/v1.0".length);
  const m = method.toUpperCase();
  if (/\/assignlicense$/.test(p)) return "LicenseAssignment.ReadWrite.All";
  if (m === "PATCH" && /^\/users\/[^/]+$/.test(p)) return "User.ReadWrite.All";
  if (
    p.startsWith("/subscribedskus") ||
    p.startsWith("/organization") ||
    p.startsWith("/directory/subscriptions")
  )
    return "Organization.Read.All";
  if (p.startsWith("/groups")) return "GroupMember.Read.All (or Group.Read.All)";
  if (p.startsWith("/users")) return "User.Read.All";
  return "Directory.Read.All";
}

/** Reads Graph's `{ error: { code, message } }` envelope; falls back to the HTTP status. */
export function graphErrorInfo(status: number, body: unknown): GraphErrorInfo {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  const code = typeof error?.code === "string" && error.code !== "" ? error.code : `HTTP${status}`;
  const message =
    typeof error?.message === "string" && error.message !== "" ? error.message : `HTTP status ${status}`;
  return { code, message };
}

/**
 * Turns a failed Graph answer into a LicensectlError whose code is Graph's
 * code (e.g. `Authorization_RequestDenied`) and whose message names the
 * request; a 403 names the permission to grant.
 */
export function graphFailure(method: string, path: string, status: number, body: unknown): LicensectlError {
  const info = graphErrorInfo(status, body);
  const where = `${method.toUpperCase()} ${displayPath(path)}`;
  if (status === 403 || info.code === "Authorization_RequestDenied") {
    const permission = permissionFor(method, path);
    return new LicensectlError(
      "graph-permission-denied",
      `Microsoft Graph denied ${where} (${status} ${info.code}: ${info.message}); it needs the permission ${permission}`,
      {
        hint: `Grant the application the Microsoft Graph application permission ${permission} and admin consent (or sign in as someone who holds it), then run again.`,
        graphCode: info.code,
      },
    );
  }
  if (status === 401) {
    return new LicensectlError(
      "graph-token-rejected",
      `Microsoft Graph rejected the token for ${where} (401 ${info.code}: ${info.message})`,
      {
        hint: "Check that the credential belongs to the tenant and cloud you meant (--tenant-id, --cloud).",
        graphCode: info.code,
      },
    );
  }
  return new LicensectlError(
    "graph-error",
    `Microsoft Graph answered ${status} ${info.code} to ${where}: ${info.message}`,
    {
      graphCode: info.code,
      ...(status >= 500 || status === 429
        ? { hint: "Graph is busy or failing; licensectl already retried. Run again later." }
        : {}),
    },
  );
}

/** The network failed before Graph could answer (refused, reset, DNS, TLS). */
export function networkFailure(method: string, url: string, error: unknown): LicensectlError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const reason =
    typeof cause?.code === "string"
      ? cause.code
      : typeof cause?.message === "string"
        ? cause.message
        : error instanceof Error
          ? error.message
          : String(error);
  return new LicensectlError(
    "network-error",
    `Could not reach Microsoft Graph at ${url} (${method.toUpperCase()}): ${reason}`,
    {
      hint: "Check the network, proxy and --graph-url; for the emulator check that `licensectl emulator` is running on that port.",
      cause: error,
    },
  );
}

function displayPath(path: string): string {
  try {
    const url = new URL(path);
    return `${url.pathname}${url.search}`;
  } catch {
    return path;
  }
}
