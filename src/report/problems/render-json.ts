import { countErrors, type ProblemRenderer } from "./validation-report.js";

/** Version of the JSON that `validate --format json` prints; bumped on incompatible change. */
export const VALIDATION_FORMAT_VERSION = 1;

/** Machine output: a versioned object with every problem. */
export const renderProblemsJson: ProblemRenderer = (report) =>
  `${JSON.stringify(
    {
      formatVersion: VALIDATION_FORMAT_VERSION,
      valid: countErrors(report.problems) === 0,
      target: report.target,
      files: report.files,
      skipped: report.skipped,
      totals: report.totals,
      problems: report.problems.map((p) => ({
        code: p.code,
        severity: p.severity,
        message: p.message,
        ...(p.hint ? { hint: p.hint } : {}),
        ...(p.location ? { file: p.location.file, line: p.location.line, column: p.location.column } : {}),
      })),
    },
    null,
    2,
  )}\n`;
