import type { Plan } from "../../model/plan.js";
import { formatsOf, type Renderer } from "../renderer.js";
import { renderPlanJson } from "./render-plan-json.js";
import { renderPlanMarkdown } from "./render-plan-markdown.js";
import {
  renderPlanRefusalJson,
  renderPlanRefusalMarkdown,
  renderPlanRefusalText,
  type PlanRefusal,
} from "./render-plan-refusal.js";
import { renderPlanText } from "./render-plan-text.js";

/** The output formats of a plan (`licensectl plan --format`). */
export type PlanFormat = "text" | "markdown" | "json";

/** One renderer per plan format. */
export const PLAN_RENDERERS: Readonly<Record<PlanFormat, Renderer<Plan>>> = {
  text: (plan, options) => renderPlanText(plan, { color: options.color }),
  markdown: (plan) => renderPlanMarkdown(plan),
  json: (plan) => renderPlanJson(plan),
};

/** The plan formats, text first. */
export const PLAN_FORMATS = formatsOf(PLAN_RENDERERS);

/** One renderer per format for a saved plan that apply refused. */
export const PLAN_REFUSAL_RENDERERS: Readonly<Record<PlanFormat, Renderer<PlanRefusal>>> = {
  text: (refusal) => renderPlanRefusalText(refusal),
  markdown: (refusal) => renderPlanRefusalMarkdown(refusal),
  json: (refusal) => renderPlanRefusalJson(refusal),
};
