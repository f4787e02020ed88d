import { dirname } from "node:path";
import { applyPlan } from "../apply/apply-plan.js";
import type { ApplyEvent } from "../apply/apply-events.js";
import type { ApplyResult } from "../apply/apply-result.js";
import { applyVerdict } from "../apply/verdict.js";
import type { GraphConnection } from "../graph/create-graph-client.js";
import { createLicenseWriter, type LicenseWriterOptions } from "../graph/graph-license-writer.js";
import type { DesiredState } from "../model/desired-state.js";
import { isLicensectlError, LicensectlError } from "../model/errors.js";
import type { LiveState } from "../model/live-state.js";
import type { ManifestSet, Plan } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { digestLiveState } from "../plan/live-digest.js";
import { planIsTheReviewedOne, parsePlanFile } from "../plan/plan-file.js";
import { diffChangeSets, type ChangeSetDifference } from "../plan/reviewed-changes.js";
import { planAfterApply } from "./verify-converged.js";
import { compareManifestSets, locateManifestSet, recordManifestSet } from "./manifest-set.js";
import { loadDesiredState, planAgainst, readTenant, type ReadTenantOptions } from "./prepare-plan.js";

/** Why a saved plan was not carried out; nothing was written in any of these cases. */
export type RefusalReason =
  | "tampered" // the file was edited, or does not hold what licensectl plans from its inputs
  | "manifests-not-found" // the recorded manifests are not where apply looked, and no -m was given
  | "manifests-changed" // a manifest file was changed, added or removed since the plan was made
  | "tenant-id-missing" // the manifests name no tenant.id
  | "wrong-tenant" // the signed-in tenant is not the plan's
  | "stale" // the tenant moved so that the change set is no longer the reviewed one
  | "guard"; // additive removals, or more removals than allowed

/** What applySavedPlan did: refused (nothing written) or applied, with the verdict. */
export type SavedPlanOutcome =
  | {
      readonly kind: "refused";
      readonly reason: RefusalReason;
      readonly message: string;
      readonly problems: readonly Problem[];
      readonly hint?: string;
      /** For "stale": what moved between the reviewed change set and the one made now. */
      readonly difference?: ChangeSetDifference;
      readonly plan?: Plan;
    }
  | {
      readonly kind: "applied";
      readonly plan: Plan;
      /** Undefined when the plan had no change. */
      readonly result?: ApplyResult;
      /** The plan made from the tenant read back afterwards. */
      readonly remaining: Plan;
      /** Nothing remains and the apply did all its plan said (see `applyVerdict`). */
      readonly converged: boolean;
    };

/** Options of applySavedPlan. */
export interface ApplySavedPlanOptions {
  /** The plan file's text and its name for messages (e.g. "plan.json"). */
  readonly planText: string;
  readonly planFile: string;
  /** Absolute path of the plan file; its directory is searched for the manifests too. */
  readonly planPath?: string;
  /** The working directory: manifests are looked up from here, and `manifestPaths` resolved against it. */
  readonly cwd: string;
  /** Overrides the manifest set the plan records (`-m`). */
  readonly manifestPaths?: readonly string[];
  /** A connection, or how to open one for the plan's tenant. */
  readonly connection: GraphConnection | ((tenantId: string) => GraphConnection);
  /** A CSV catalog overriding the bundled one (`--catalog`). */
  readonly catalog?: string;
  readonly maxRemovals?: number;
  readonly writer?: LicenseWriterOptions;
  /** Typed progress of the apply. */
  readonly onEvent?: (event: ApplyEvent) => void;
  /** Progress lines (what is read, how long it took). */
  readonly progress?: (line: string) => void;
  /** How long a read may lag behind a write (default `DEFAULT_CONSISTENCY_WINDOW_MS`); also the writer's unless it sets its own. */
  readonly consistencyWindowMs?: number;
  /** How the tenant is read (before and after the writes). */
  readonly read?: ReadTenantOptions;
}

const NOTHING_WRITTEN = "Nothing was written.";

function refused(
  reason: RefusalReason,
  message: string,
  extra: Partial<Extract<SavedPlanOutcome, { kind: "refused" }>> = {},
): SavedPlanOutcome {
  return { kind: "refused", reason, message, problems: [], ...extra };
}

/** Where the manifests are: `-m` when given, else the set the plan records, found again. */
async function manifestPaths(
  plan: Plan,
  options: ApplySavedPlanOptions,
): Promise<readonly string[] | SavedPlanOutcome> {
  if (options.manifestPaths !== undefined && options.manifestPaths.length > 0) return options.manifestPaths;
  const set = plan.manifests;
  if (set === undefined || set.files.length === 0)
    return refused(
      "manifests-not-found",
      `${options.planFile} does not record which manifests it was made from`,
      {
        hint: "Pass them with -m, e.g. `licensectl apply plan.json -m manifests/`.",
      },
    );
  const places = [options.cwd, ...(options.planPath ? [dirname(options.planPath)] : [])];
  const found = await locateManifestSet(set, places);
  if (found !== undefined) return found.files;
  const where = set.base === "repository" ? "the git repository root" : "the directory plan ran in";
  const listed = set.files.map((f) => f.path);
  return refused(
    "manifests-not-found",
    `cannot find the manifests ${options.planFile} was made from: ${listed.slice(0, 10).join(", ")}${listed.length > 10 ? `, ... (${listed.length} files)` : ""} (relative to ${where})`,
    {
      hint: `Run apply from inside the repository (or where plan ran), or name the manifests with -m, e.g. \`licensectl apply ${options.planFile} -m ${set.base === "repository" ? "path/to/checkout" : "path/to/that/directory"}/${commonDirectory(listed)}\`.`,
    },
  );
}

/** The deepest directory holding every one of these relative paths ("." for none below the root). */
function commonDirectory(paths: readonly string[]): string {
  const dirs = paths.map((path) => path.split("/").slice(0, -1));
  const common: string[] = [];
  for (let i = 0; dirs.every((d) => d[i] !== undefined && d[i] === dirs[0]![i]); i += 1)
    common.push(dirs[0]![i]!);
  return common.length === 0 ? "." : common.join("/");
}

/** Refuses manifests other than those the plan was made from. */
async function checkManifests(plan: Plan, desired: DesiredState, options: ApplySavedPlanOptions) {
  if (plan.manifests === undefined) return undefined;
  const current: ManifestSet = await recordManifestSet(desired.files, options.cwd);
  const problems = compareManifestSets(plan.manifests, current, options.planFile);
  if (problems.length === 0) return undefined;
  return refused("manifests-changed", `the manifests are not the ones ${options.planFile} was made from`, {
    problems,
    hint: `${NOTHING_WRITTEN} Run \`licensectl plan --out\` again, review it, and apply the new plan.`,
  });
}

/** The tenant guard: the manifests name a tenant, and it is the plan's and the signed-in one. */
function checkTenant(
  plan: Plan,
  file: string,
  desired: DesiredState,
  live: LiveState,
): SavedPlanOutcome | undefined {
  if (!desired.tenant.id)
    return refused(
      "tenant-id-missing",
      "the manifests do not say which tenant they are for, so apply will not write",
      {
        hint: `Add \`tenant: { id: ${live.tenant.id} }\` to the manifests if ${live.tenant.displayName || "the signed-in tenant"} is the tenant they describe.`,
      },
    );
  const signedIn = live.tenant.id.toLowerCase();
  for (const [what, id] of [
    [`${file}: the plan was made for`, plan.tenant.id],
    ["the manifests are for", desired.tenant.id],
  ] as const) {
    if (id.toLowerCase() !== signedIn)
      return refused(
        "wrong-tenant",
        `${what} tenant ${id.toLowerCase()}, but the signed-in tenant is ${signedIn}`,
        {
          hint: `${NOTHING_WRITTEN} Sign in to the tenant the plan was made for (--tenant-id), or make a new plan.`,
        },
      );
  }
  return undefined;
}

/**
 * Carries out a reviewed plan file, exactly, and only while it is still the
 * plan licensectl makes now: the file must be untouched (digest), its
 * manifests unchanged, the signed-in tenant the plan's, and a fresh plan from
 * the tenant as it is now must hold the same changes in the same order with
 * the same guards (seats still sufficient, or no plan is made). Unrelated
 * changes to the tenant (other users, SKUs out of scope) do not matter. Then
 * the tenant is read back and planned again to check it converged.
 *
 * Expected refusals come back as `{ kind: "refused" }`; only failures (bad
 * manifests, Graph unreachable, an unreadable file) throw a LicensectlError.
 */
export async function applySavedPlan(options: ApplySavedPlanOptions): Promise<SavedPlanOutcome> {
  const progress = options.progress ?? (() => undefined);
  let saved: Plan;
  try {
    saved = parsePlanFile(options.planText, options.planFile);
  } catch (error) {
    if (!isLicensectlError(error) || error.code !== "plan-file-tampered") throw error;
    return refused("tampered", error.message, {
      ...(error.hint ? { hint: `${NOTHING_WRITTEN} ${error.hint}` } : {}),
    });
  }
  const paths = await manifestPaths(saved, options);
  if (!Array.isArray(paths)) return paths as SavedPlanOutcome;
  const { desired } = await loadDesiredState(paths as readonly string[], options.cwd);
  const connection =
    typeof options.connection === "function" ? options.connection(saved.tenant.id) : options.connection;
  const live = await readTenant(connection, desired, progress, options.read);
  const wrongTenant = checkTenant(saved, options.planFile, desired, live);
  if (wrongTenant) return wrongTenant;
  const changed = await checkManifests(saved, desired, options);
  if (changed) return { ...changed, plan: saved } as SavedPlanOutcome;

  const catalog = options.catalog !== undefined ? { catalog: options.catalog } : {};
  let fresh: Plan;
  try {
    fresh = planAgainst(desired, live, catalog).plan;
  } catch (error) {
    // Seats no longer sufficient, a principal gone: the reviewed plan cannot be carried out now.
    if (!isLicensectlError(error) || (error.code !== "plan-refused" && error.code !== "policy-violated"))
      throw error;
    return refused(
      "stale",
      `${options.planFile} cannot be carried out: no plan can be made from the tenant as it is now`,
      {
        problems: error.problems,
        hint: `${NOTHING_WRITTEN} Fix the problems above, run \`licensectl plan --out\` again and review the new plan.`,
        plan: saved,
      },
    );
  }
  if (!planIsTheReviewedOne(saved, fresh)) {
    const untouched = saved.liveDigest === digestLiveState(live);
    if (untouched)
      // Same manifests, same tenant, different plan: the file was rewritten with a recomputed digest.
      return refused(
        "tampered",
        `${options.planFile} does not hold the plan licensectl makes from these manifests and this tenant`,
        {
          hint: `${NOTHING_WRITTEN} Do not edit plan files; run \`licensectl plan --out\` again, review it, and apply the new plan.`,
        },
      );
    return refused(
      "stale",
      `the tenant changed since ${options.planFile} was made, and the plan made now differs from the reviewed one`,
      {
        difference: diffChangeSets(saved, fresh, { reviewed: options.planFile, current: "plan now" }),
        hint: `${NOTHING_WRITTEN} Run \`licensectl plan --out\` again, review the new plan, and apply it.`,
        plan: saved,
      },
    );
  }

  if (saved.summary.changes === 0) return { kind: "applied", plan: saved, remaining: fresh, converged: true };
  const window =
    options.consistencyWindowMs !== undefined ? { consistencyWindowMs: options.consistencyWindowMs } : {};
  let result: ApplyResult;
  try {
    const writer = createLicenseWriter(connection, { ...window, ...options.writer });
    result = await applyPlan(saved, writer, {
      ...(options.maxRemovals !== undefined ? { maxRemovals: options.maxRemovals } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...window,
    });
  } catch (error) {
    if (
      !(error instanceof LicensectlError) ||
      !["additive-removal", "max-removals-exceeded"].includes(error.code)
    )
      throw error;
    return refused("guard", error.message, { ...(error.hint ? { hint: error.hint } : {}), plan: saved });
  }
  // Verification: read the tenant back and plan again; a plan without changes means the tenant converged.
  const remaining = await planAfterApply(connection, desired, result, {
    ...catalog,
    progress,
    ...window,
    ...(options.read ? { read: options.read } : {}),
  });
  const converged = remaining.summary.changes === 0 && applyVerdict(result).ok;
  return { kind: "applied", plan: saved, result, remaining, converged };
}
