import type { GraphConnection } from "../graph/create-graph-client.js";
import type { DesiredState, ResolvedDesiredState } from "../model/desired-state.js";
import type { LiveState } from "../model/live-state.js";
import type { Plan } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { withManifestSet } from "./manifest-set.js";
import type { NoPlan } from "./plan-outcome.js";
import { planFromState } from "./plan-outcome.js";
import { readManifests, readTenant, type ReadTenantOptions } from "./prepare-plan.js";

/** What getPlan and getDrift read: manifests, a connection to the tenant, a catalog. */
export interface TenantReadOptions {
  /** Manifest files or directories, relative to `cwd`. */
  readonly manifestPaths: readonly string[];
  /** The working directory: paths are resolved, and the plan's manifest set recorded, against it. */
  readonly cwd: string;
  /**
   * A connection, or how to open one once the manifests are read: it is
   * given their `tenant.id` (see connectToGraph), so a repository of
   * manifests needs no other configuration.
   */
  readonly connection: GraphConnection | ((manifestTenantId: string | undefined) => GraphConnection);
  /** Path of a CSV catalog overriding the bundled one (a newer copy of Microsoft's SKU list). */
  readonly catalog?: string;
  /** Progress lines (what is read, how long it took). */
  readonly progress?: (line: string) => void;
  /** A CSV price table (`--prices`) added to the manifests' `prices:`. */
  readonly pricesFile?: string;
  /** How the tenant is read: user ranges at once (default 16, DEFAULT_READ_CONCURRENCY), and events for a progress display. */
  readonly read?: ReadTenantOptions;
}

/** Options of getPlan. */
export type GetPlanOptions = TenantReadOptions;

/** A plan was made: it, and everything it was made from. */
export interface GetPlanMade {
  readonly kind: "planned";
  /**
   * The plan, with the manifest set it was made from recorded, ready for
   * serializePlan and, after review, applySavedPlan.
   */
  readonly plan: Plan;
  readonly desired: DesiredState;
  readonly resolved: ResolvedDesiredState;
  readonly live: LiveState;
  /** The connection used, for a caller that reads or writes again. */
  readonly connection: GraphConnection;
  /** Non-fatal problems from loading and resolving (an empty file, a name resolved with a caveat). */
  readonly warnings: readonly Problem[];
}

/** getPlan's answer: a plan, or why none was made (expected outcomes are values, not exceptions). */
export type GetPlanResult = GetPlanMade | NoPlan;

/** Opens the connection for the manifests' tenant, unless the caller gave one. */
export function openConnection(options: TenantReadOptions, desired: DesiredState): GraphConnection {
  return typeof options.connection === "function"
    ? options.connection(desired.tenant.id || undefined)
    : options.connection;
}

/**
 * The thin async wrapper around the pure planner, as `licensectl plan` runs
 * it: reads the manifests, then the tenant, then plans. Writes nothing.
 *
 * Bad manifests, a wrong tenant and a refused plan come back as
 * `{ kind: "refused" }` with every located problem; only failures (Graph
 * unreachable, sign-in failing, an unreadable catalog) throw a LicensectlError.
 */
export async function getPlan(options: GetPlanOptions): Promise<GetPlanResult> {
  const progress = options.progress ?? (() => undefined);
  const loaded = await readManifests(options.manifestPaths, options.cwd, options.pricesFile);
  if (loaded.kind === "refused") return loaded;
  const { desired } = loaded;
  const connection = openConnection(options, desired);
  const live = await readTenant(connection, desired, progress, options.read);
  const outcome = planFromState(
    desired,
    live,
    options.catalog !== undefined ? { catalog: options.catalog } : {},
  );
  if (outcome.kind === "refused") return { ...outcome, warnings: [...loaded.warnings, ...outcome.warnings] };
  // Recorded so that applySavedPlan (and `licensectl apply plan.json`) finds and checks the manifests by itself.
  const plan = await withManifestSet(outcome.plan, desired.files, options.cwd);
  return {
    kind: "planned",
    plan,
    desired,
    resolved: outcome.resolved,
    live,
    connection,
    warnings: [...loaded.warnings, ...outcome.warnings],
  };
}
