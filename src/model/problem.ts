/** Where something was written: a manifest file position (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A located finding about user input. Validation and planning return lists of
 * these instead of throwing, so a run reports every problem, not the first.
 */
export interface Problem {
  /** Stable machine code, e.g. `unknown-sku`, `yaml-syntax`, `capacity-exceeded`. */
  readonly code: string;
  readonly severity: "error" | "warning";
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
  /** Where it was written, when it comes from a manifest. */
  readonly location?: SourceLocation;
}

/** Whether any problem is an error (warnings alone do not stop a run). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** Formats a problem as `file:line:col: error: message (hint)` for terminals and logs. */
export function formatProblem(problem: Problem): string {
  const where = problem.location
    ? `${problem.location.file}:${problem.location.line}:${problem.location.column}: `
    : "";
  const hint = problem.hint ? `\n  hint: ${problem.hint}` : "";
  return `${where}${problem.severity}: ${problem.message}${hint}`;
}
