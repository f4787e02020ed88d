import type { Problem } from "../model/problem.js";

/**
 * Problems in reading order (unlocated first, then by file, line, column),
 * without repeats: a wrong name in a profile used by many users is one problem.
 */
export function orderProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.code}|${p.location?.file}:${p.location?.line}:${p.location?.column}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const compare = (a: Problem, b: Problem): number => {
    if (!a.location || !b.location) return (a.location ? 1 : 0) - (b.location ? 1 : 0);
    const file = a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0;
    return file || a.location.line - b.location.line || a.location.column - b.location.column;
  };
  return unique.sort(compare);
}
