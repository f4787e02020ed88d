import { renderProblemsGithub } from "./render-github.js";
import { renderProblemsJson } from "./render-json.js";
import { renderProblemsText } from "./render-text.js";
import type { ProblemFormat, ProblemRenderer } from "./validation-report.js";

export type { ProblemFormat, ProblemRenderer, RenderOptions, ValidationReport } from "./validation-report.js";
export { summaryLine, countErrors } from "./validation-report.js";
export { VALIDATION_FORMAT_VERSION } from "./render-json.js";

/** One renderer per output format of `licensectl validate`. */
export const PROBLEM_RENDERERS: Readonly<Record<ProblemFormat, ProblemRenderer>> = {
  text: renderProblemsText,
  json: renderProblemsJson,
  github: renderProblemsGithub,
};

/** The formats of `licensectl validate --format`, text first. */
export const PROBLEM_FORMATS = Object.keys(PROBLEM_RENDERERS) as ProblemFormat[];
