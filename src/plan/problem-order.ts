import type { Problem } from "../model/problem.js";
import { compareText } from "./live-index.js";

/**
 * A stable order for problems, so equal inputs give identical output: errors
 * first, then by file position, then the heavier warnings (removals) first.
 */
const FIRST_WARNINGS = ["group-license-removal", "max-removals-exceeded"];

export function sortProblems(problems: readonly Problem[]): Problem[] {
  const rank = (p: Problem) => (p.severity === "error" ? 0 : FIRST_WARNINGS.includes(p.code) ? 1 : 2);
  return [...problems].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      compareText(a.location?.file ?? "", b.location?.file ?? "") ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}
