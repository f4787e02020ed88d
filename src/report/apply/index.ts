import type { ApplyResult } from "../../apply/apply-result.js";
import { formatsOf, type Renderer } from "../renderer.js";
import { renderApplyResultJson } from "./render-apply-json.js";
import { renderApplyResultText } from "./render-apply-text.js";

/** The output formats of an apply result (`licensectl apply --format`). */
export type ApplyFormat = "text" | "markdown" | "json";

/** One renderer per apply-result format; markdown is the plain text in a code block, for a comment. */
export const APPLY_RENDERERS: Readonly<Record<ApplyFormat, Renderer<ApplyResult>>> = {
  text: (result, options) => renderApplyResultText(result, { color: options.color }),
  markdown: (result) => `\`\`\`text\n${renderApplyResultText(result, { color: false })}\`\`\`\n`,
  json: (result) => renderApplyResultJson(result),
};

/** The apply-result formats, text first. */
export const APPLY_FORMATS = formatsOf(APPLY_RENDERERS);
