/**
 * licensectl as a library: the same core the CLI runs, without the CLI.
 *
 * The flow is the CLI's: load and validate manifests, read the tenant through
 * Microsoft Graph, plan (pure), render, apply (the only part that writes),
 * and compute drift (pure). Everything here is a stable, documented entry
 * point; files below `dist/` are not, and the package's `exports` map keeps
 * them closed. The Graph emulator is `licensectl/emulator`.
 *
 * @packageDocumentation
 */

export { TOOL_VERSION } from "./version.js";

// Errors with stable codes.
export {
  ERROR_CODES,
  LicensectlError,
  isLicensectlError,
  type ErrorCode,
  type ErrorSource,
} from "./model/errors.js";
export { formatProblem, hasErrors, type Problem, type SourceLocation } from "./model/problem.js";

// The model: desired state, live state, plan, drift.
export type * from "./model/desired-state.js";
export type * from "./model/live-state.js";
export type * from "./model/plan.js";
export type * from "./model/drift.js";
export type * from "./model/economics.js";
export { IMPACT_LEVELS, PLAN_FORMAT_VERSION, worstImpact } from "./model/plan.js";
export { DRIFT_CATEGORIES, DRIFT_FORMAT_VERSION, hasDrift } from "./model/drift.js";
export type * from "./model/adopt.js";
export { ADOPT_FORMAT_VERSION, ADOPT_SELECTIONS } from "./model/adopt.js";

// Manifests and the SKU catalog.
export {
  loadManifests,
  loadManifestsLeniently,
  type LenientLoadResult,
  type LoadOptions,
  type LoadResult,
  type SkippedFile,
} from "./manifest/load-manifests.js";
export { validateManifests } from "./manifest/validate-manifests.js";
export { resolveDesiredState, type ResolveOptions } from "./manifest/resolve-names.js";
export { BUNDLED_CATALOG_PATH, loadCatalog, parseCatalogCsv } from "./catalog/bundled-catalog.js";
export {
  Catalog,
  type CatalogServicePlan,
  type CatalogSku,
  type PlanLookup,
  type SkuLookup,
} from "./catalog/catalog.js";

// Microsoft Graph: connection, reader, writer.
export { CLOUD_ENDPOINTS, CLOUDS, type CloudEndpoints, type CloudName } from "./graph/clouds.js";
export {
  AUTH_METHODS,
  readCredentialSettings,
  type AuthMethod,
  type CredentialSettings,
  type Env,
} from "./graph/credential-settings.js";
export {
  createGraphClient,
  type GraphConnection,
  type GraphConnectionOptions,
  type GraphHttpRequest,
  type GraphHttpResponse,
} from "./graph/create-graph-client.js";
export { readLiveState, type ReadLiveStateOptions, type ReadProgressEvent } from "./graph/read-live-state.js";
export {
  createLicenseWriter,
  DEFAULT_MAX_RETRY_TIME_MS,
  DEFAULT_WRITER_CONCURRENCY,
  type LicenseWriterOptions,
} from "./graph/graph-license-writer.js";
export type { Clock } from "./util/consistency-window.js";
export type * from "./graph/write-operations.js";

// The pure planner and the plan file.
export { planChanges, type PlanOptions } from "./plan/plan-changes.js";
export { digestLiveState } from "./plan/live-digest.js";
export { parsePlanFile, serializePlan } from "./plan/plan-file.js";
export { WAVE_ORDER } from "./plan/waves.js";

// Drift (pure).
export {
  computeDrift,
  type DriftFromPlan,
  type DriftFromRefusal,
  type DriftInput,
} from "./drift/compute-drift.js";

// Adoption (pure): drift carried back into the manifests as an edit.
export { adoptManifests, type AdoptInput, type ManifestText } from "./adopt/adopt-manifests.js";
export type { TargetOptions } from "./adopt/adoption-targets.js";

// Apply: the only part that writes.
export { applyPlan, type ApplyOptions } from "./apply/apply-plan.js";
export type { ApplyEvent } from "./apply/apply-events.js";
export type * from "./apply/apply-result.js";
export { applyVerdict, type ApplyVerdict } from "./apply/verdict.js";
export { DEFAULT_GROUP_WAIT, type GroupWaitOptions } from "./apply/group-wait.js";
export { openApplyJournal, type ApplyJournal } from "./apply/journal.js";

// The workflow: the reads around the pure core, as the CLI runs them, with every guard.
export { connectToGraph, type ConnectionSettings } from "./workflow/connect.js";
export {
  getPlan,
  type GetPlanMade,
  type GetPlanOptions,
  type GetPlanResult,
  type TenantReadOptions,
} from "./workflow/get-plan.js";
export {
  getDrift,
  type DriftFound,
  type GetDriftOptions,
  type GetDriftResult,
} from "./workflow/get-drift.js";
export {
  noPlanError,
  planFromState,
  type NoPlan,
  type NoPlanReason,
  type PlanFromStateOptions,
  type PlanMade,
  type PlanOutcome,
} from "./workflow/plan-outcome.js";
export {
  loadDesiredState,
  planAgainst,
  readManifests,
  readTenant,
  type LoadedManifests,
  type ReadTenantOptions,
} from "./workflow/prepare-plan.js";
export {
  applySavedPlan,
  type ApplySavedPlanOptions,
  type RefusalReason,
  type SavedPlanOutcome,
} from "./workflow/apply-saved-plan.js";
export { prepareAdoption, type AdoptOptions, type PreparedAdoption } from "./workflow/adopt.js";
// Several tenants of one repository: each runs on its own, and one's failure never stops the others.
export type * from "./model/tenant-run.js";
export { TENANT_PLANS_FORMAT_VERSION, TENANT_PLANS_KIND, countStatuses } from "./model/tenant-run.js";
export {
  DEFAULT_TENANTS_DIR,
  parseShard,
  selectTenants,
  type TenantDirectory,
  type TenantSelection,
} from "./workflow/tenants/select-tenants.js";
export {
  DEFAULT_TENANT_CONCURRENCY,
  planTenants,
  type TenantRunOptions,
} from "./workflow/tenants/plan-tenants.js";
export {
  applyTenantPlans,
  type ApplyTenantsOptions,
  type TenantPlanFile,
} from "./workflow/tenants/apply-tenants.js";
export { combineTenantPlans } from "./workflow/tenants/combine-plans.js";
export { diffChangeSets, type ChangeSetDifference } from "./plan/reviewed-changes.js";
export { withLicenseStates } from "./plan/license-states.js";

// Renderers: (model, options) => string, one registry per model (what `--format` chooses from).
export type { Renderer, RendererOptions } from "./report/renderer.js";
export {
  PLAN_FORMATS,
  PLAN_REFUSAL_RENDERERS,
  PLAN_RENDERERS,
  type PlanFormat,
} from "./report/plan/index.js";
export { DRIFT_FORMATS, DRIFT_RENDERERS, type DriftFormat } from "./report/drift/index.js";
export { APPLY_FORMATS, APPLY_RENDERERS, type ApplyFormat } from "./report/apply/index.js";
export {
  SKUS_FORMATS,
  SKUS_RENDERERS,
  type SkuListing,
  type SkusFormat,
  type SkusRenderOptions,
} from "./report/skus/index.js";
export { renderPlanText, type PlanTextOptions } from "./report/plan/render-plan-text.js";
export {
  DEFAULT_MARKDOWN_MAX_LENGTH,
  PLAN_COMMENT_MARKER,
  renderPlanMarkdown,
  type PlanMarkdownOptions,
} from "./report/plan/render-plan-markdown.js";
export { renderPlanJson } from "./report/plan/render-plan-json.js";
export {
  PLAN_REFUSAL_FORMAT_VERSION,
  renderPlanRefusalJson,
  renderPlanRefusalMarkdown,
  renderPlanRefusalText,
  type PlanRefusal,
} from "./report/plan/render-plan-refusal.js";
export { renderDriftText, type DriftTextOptions } from "./report/drift/render-drift-text.js";
export {
  DRIFT_MARKDOWN_MARKER,
  renderDriftMarkdown,
  type DriftMarkdownOptions,
} from "./report/drift/render-drift-markdown.js";
export { renderDriftJson } from "./report/drift/render-drift-json.js";
export { renderDriftHtml, type DriftHtmlOptions } from "./report/drift/render-drift-html.js";
export { renderAdoptPatch, renderAdoptSummary } from "./report/adopt/render-adopt-patch.js";
export { renderAdoptJson } from "./report/adopt/render-adopt-json.js";
export {
  APPLY_RESULT_FORMAT_VERSION,
  renderApplyResultJson,
  renderApplyResultText,
  type ApplyTextOptions,
} from "./report/apply/render-apply-result.js";
export {
  PROBLEM_FORMATS,
  PROBLEM_RENDERERS,
  type ProblemFormat,
  type ProblemRenderer,
  type RenderOptions,
  type ValidationReport,
} from "./report/problems/index.js";
