/** The applier: carries out a reviewed plan through a LicenseWriter. The only part of licensectl that writes. */
export { applyPlan, type ApplyOptions } from "./apply-plan.js";
export type { ApplyEvent } from "./apply-events.js";
export type {
  ApplyResult,
  ApplyTraffic,
  ChangeOutcome,
  ChangeSkus,
  ChangeStatus,
  GroupMemberLicenseError,
  SkipReason,
} from "./apply-result.js";
export { DEFAULT_GROUP_WAIT, type GroupWaitOptions } from "./group-wait.js";
export { checkApplyGuards } from "./guards.js";
export { toWriteOperation } from "./to-write-operation.js";
