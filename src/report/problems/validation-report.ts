import type { Problem } from "../../model/problem.js";

/** What `licensectl validate` found; the input of every problem renderer. */
export interface ValidationReport {
  /** What was validated, as the user named it (e.g. "examples/manifests"). */
  readonly target: string;
  /** Manifest files read, relative to the working directory. */
  readonly files: readonly string[];
  /** Files read but skipped because they are not manifests (emulator tenant fixtures, other YAML), and why. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  readonly problems: readonly Problem[];
  /** Counts of the merged desired state. */
  readonly totals: { readonly users: number; readonly groups: number; readonly skus: number };
}

/** Options of the validation-report renderers. */
export interface RenderOptions {
  readonly color?: boolean;
  /** Also list skipped files (text output). */
  readonly verbose?: boolean;
}

/** An output format of `licensectl validate`. */
export type ProblemFormat = "text" | "json" | "github";

/** `(report, options) => string`: one per output format. */
export type ProblemRenderer = (report: ValidationReport, options?: RenderOptions) => string;

export const countErrors = (problems: readonly Problem[]) =>
  problems.filter((p) => p.severity === "error").length;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "examples/manifests: 4 files, 312 users, 9 groups, 6 SKUs — valid" or "3 errors in 2 files". */
export function summaryLine(report: ValidationReport): string {
  const errors = report.problems.filter((p) => p.severity === "error");
  const warnings = report.problems.length - errors.length;
  const warned = warnings > 0 ? ` (${plural(warnings, "warning")})` : "";
  if (errors.length === 0) {
    const { users, groups, skus } = report.totals;
    return `${report.target}: ${plural(report.files.length, "file")}, ${plural(users, "user")}, ${plural(groups, "group")}, ${plural(skus, "SKU")} — valid${warned}`;
  }
  const files = new Set(errors.flatMap((p) => (p.location ? [p.location.file] : [])));
  const inFiles = files.size > 0 ? ` in ${plural(files.size, "file")}` : "";
  return `${plural(errors.length, "error")}${inFiles}${warned}`;
}
