import type { Problem } from "./problem.js";

/** Who is at fault: bad input or environment (`user`), or a defect in licensectl (`internal`). */
export type ErrorSource = "user" | "internal";

/**
 * Every code a LicensectlError can carry: a closed list, so programs can
 * switch on it and the README can list it. Graph's own error code, where
 * there is one, is in `graphCode`.
 */
export const ERROR_CODES = [
  // Input: manifests, plan files, options, fixtures.
  "invalid-manifests",
  "bad-option",
  "plan-file-unreadable",
  "plan-format-unsupported",
  "plan-file-tampered",
  "output-is-link",
  "journal-unwritable",
  "export-would-overwrite",
  "nothing-to-export",
  "catalog-unreadable",
  "prices-unreadable",
  "unknown-sku",
  "ambiguous-sku",
  "sku-not-in-tenant",
  "fixture-invalid",
  "fixture-unreadable",
  "fixture-unresolved",
  "state-unreadable",
  "emulator-port",
  // Refusals: the plan or a guard says no.
  "plan-refused",
  "stale-plan",
  "needs-approval",
  "tenant-id-missing",
  "max-removals-exceeded",
  "additive-removal",
  "policy-violated",
  // Connecting and signing in.
  "bad-graph-url",
  "untrusted-graph-url",
  "cloud-mismatch",
  "auth-none-needs-emulator",
  "auth-config-missing",
  "auth-failed",
  // Microsoft Graph answered, or could not be reached.
  "graph-permission-denied",
  "graph-token-rejected",
  "graph-error",
  "graph-unexpected",
  "network-error",
  // A defect in licensectl.
  "internal-error",
] as const;
/** One of ERROR_CODES: the stable code of a LicensectlError. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one error type licensectl throws on purpose. `code` is stable and
 * documented; `problems` carries located details when there are several.
 */
export class LicensectlError extends Error {
  readonly code: ErrorCode;
  /** Graph's error code (e.g. `Authorization_RequestDenied`) when Graph answered with an error. */
  readonly graphCode: string | undefined;
  readonly source: ErrorSource;
  readonly hint: string | undefined;
  readonly problems: readonly Problem[];

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      hint?: string;
      source?: ErrorSource;
      problems?: readonly Problem[];
      cause?: unknown;
      graphCode?: string;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LicensectlError";
    this.code = code;
    this.source = options.source ?? "user";
    this.hint = options.hint;
    this.problems = options.problems ?? [];
    this.graphCode = options.graphCode;
  }
}

/** Whether `error` is a LicensectlError, so that its `code`, `hint` and `problems` can be read. */
export function isLicensectlError(error: unknown): error is LicensectlError {
  return error instanceof LicensectlError;
}
