/** The pure planner: from desired and live state to an ordered, guarded plan, and the plan file. */
export { planChanges, type PlanOptions } from "./plan-changes.js";
export { digestLiveState } from "./live-digest.js";
export { serializePlan, parsePlanFile, checkPlanIsCurrent } from "./plan-file.js";
export { WAVE_ORDER } from "./waves.js";
