import type { Problem } from "../../model/problem.js";
import { summaryLine, type ProblemRenderer } from "./validation-report.js";

const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

function line(problem: Problem, color: boolean): string {
  const where = problem.location
    ? `${problem.location.file}:${problem.location.line}:${problem.location.column}: `
    : "";
  const severity = paint(color, problem.severity === "error" ? "31;1" : "33;1", problem.severity);
  const hint = problem.hint ? `\n  ${paint(color, "2", "hint:")} ${problem.hint}` : "";
  return `${where}${severity}: ${problem.message}${hint}`;
}

/** Terminal text: `file:line:col: error: message`, an indented hint, then a summary line. */
export const renderProblemsText: ProblemRenderer = (report, options = {}) => {
  const color = options.color === true;
  const lines = report.problems.map((p) => line(p, color));
  if (options.verbose)
    for (const { file, reason } of report.skipped) lines.push(`skipped ${file}: ${reason}`);
  lines.push(summaryLine(report));
  return `${lines.join("\n")}\n`;
};
