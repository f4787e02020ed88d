import type { Problem } from "./problem.js";

/** Who is at fault: bad input or environment (`user`), or a defect in licensectl (`internal`). */
export type ErrorSource = "user" | "internal";

/**
 * The one error type licensectl throws on purpose. `code` is stable and
 * documented; `problems` carries located details when there are several.
 */
export class LicensectlError extends Error {
  readonly code: string;
  readonly source: ErrorSource;
  readonly hint: string | undefined;
  readonly problems: readonly Problem[];

  constructor(
    code: string,
    message: string,
    options: { hint?: string; source?: ErrorSource; problems?: readonly Problem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LicensectlError";
    this.code = code;
    this.source = options.source ?? "user";
    this.hint = options.hint;
    this.problems = options.problems ?? [];
  }
}

export function isLicensectlError(error: unknown): error is LicensectlError {
  return error instanceof LicensectlError;
}
