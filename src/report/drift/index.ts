import type { DriftReport } from "../../model/drift.js";
import { formatsOf, type Renderer } from "../renderer.js";
import { renderDriftHtml } from "./render-drift-html.js";
import { renderDriftJson } from "./render-drift-json.js";
import { renderDriftMarkdown } from "./render-drift-markdown.js";
import { renderDriftText } from "./render-drift-text.js";

/** The output formats of a drift report (`licensectl drift --format`). */
export type DriftFormat = "text" | "markdown" | "json" | "html";

/** One renderer per drift format. */
export const DRIFT_RENDERERS: Readonly<Record<DriftFormat, Renderer<DriftReport>>> = {
  text: (report, options) => renderDriftText(report, { color: options.color }),
  markdown: (report) => renderDriftMarkdown(report),
  json: (report) => renderDriftJson(report),
  html: (report) => renderDriftHtml(report),
};

/** The drift formats, text first. */
export const DRIFT_FORMATS = formatsOf(DRIFT_RENDERERS);
