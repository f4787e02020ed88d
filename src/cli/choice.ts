import { LicensectlError } from "../model/errors.js";

/** Checks an option against its allowed values, with a message that lists them. */
export function choice<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new LicensectlError("bad-option", `${option} ${String(value)} is not one of ${allowed.join(", ")}`, {
    hint: `Use ${option} ${allowed[0]}.`,
  });
}

/** Parses a non-negative whole number option. */
export function wholeNumber(option: string, value: unknown): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new LicensectlError("bad-option", `${option} ${String(value)} is not a whole number`, {
      hint: `Use ${option} 0 or a larger whole number.`,
    });
  }
  return number;
}

/** A commander parser for `--inactive-days`: a whole number of days, 1 or more. */
export function inactiveDays(value: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new LicensectlError(
      "bad-option",
      `--inactive-days must be a whole number of 1 or more, not "${value}"`,
    );
  return Number(value);
}
