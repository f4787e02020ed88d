/** The apply-result renderers, one per format. */
export { renderApplyResultText, type ApplyTextOptions } from "./render-apply-text.js";
export { renderApplyResultJson, APPLY_RESULT_FORMAT_VERSION } from "./render-apply-json.js";
export { describeOutcomeAction, formatDuration } from "./describe-outcome.js";
