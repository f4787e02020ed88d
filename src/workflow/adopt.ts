import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { adoptManifests } from "../adopt/adopt-manifests.js";
import { loadCatalog } from "../catalog/bundled-catalog.js";
import { Catalog } from "../catalog/catalog.js";
import { computeDrift } from "../drift/compute-drift.js";
import type { GraphConnection } from "../graph/create-graph-client.js";
import type { AdoptionResult, AdoptSelection } from "../model/adopt.js";
import type { DesiredState } from "../model/desired-state.js";
import type { DriftReport } from "../model/drift.js";
import { isLicensectlError, LicensectlError } from "../model/errors.js";
import type { LiveState } from "../model/live-state.js";
import type { Problem } from "../model/problem.js";
import { indexLiveState } from "../plan/live-index.js";
import { findGroup, findUser } from "../plan/principal-matching.js";
import { connectToGraph, type ConnectionSettings } from "./connect.js";
import { findRepositoryRoot } from "./manifest-set.js";
import { loadDesiredState, planAgainst, readTenant } from "./prepare-plan.js";

/** Options of prepareAdoption. */
export interface AdoptOptions {
  readonly manifestPaths: readonly string[];
  /** How to reach Graph, and `catalog`: a newer copy of Microsoft's SKU CSV than the bundled one. */
  readonly globals: ConnectionSettings & { readonly catalog?: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Progress lines (what is read, how long it took). */
  readonly progress: (line: string) => void;
  /** One line per HTTP request, for --verbose. */
  readonly verbose?: (line: string) => void;
  readonly connection?: GraphConnection;
  /** `--only`: which kinds of drift to adopt; default all. */
  readonly only?: readonly AdoptSelection[];
  /** `--principal`: users (userPrincipalName or id) and groups (displayName, mailNickname or id) to adopt; default all. */
  readonly principals?: readonly string[];
  /** `--into`: the manifest file new entries go to (relative to `cwd`). */
  readonly into?: string;
}

/** An adoption ready to be written or shown, with the drift it comes from. */
export interface PreparedAdoption {
  readonly adoption: AdoptionResult;
  readonly drift: DriftReport;
  /** Absolute path of each file the adoption edits, by its `path` in the result. */
  readonly paths: ReadonlyMap<string, string>;
  readonly warnings: readonly Problem[];
}

const toSlashes = (path: string) => path.split(sep).join("/");

/** Live ids of the principals `--principal` names; an unknown name is an error naming it. */
function selectedIds(names: readonly string[], live: LiveState): Set<string> {
  const index = indexLiveState(live);
  const ids = new Set<string>();
  for (const name of names) {
    const user = findUser(index, name);
    const group = findGroup(index, name);
    if (user) ids.add(user.id.toLowerCase());
    if (group.kind === "found") ids.add(group.group.id.toLowerCase());
    if (group.kind === "ambiguous") for (const g of group.candidates) ids.add(g.id.toLowerCase());
    if (!user && group.kind === "unknown")
      throw new LicensectlError("bad-option", `--principal ${name} names no user or group of the tenant`, {
        hint: "Name users by userPrincipalName or object id, groups by displayName, mailNickname or object id.",
      });
  }
  return ids;
}

/**
 * Plans with the guards that refuse a plan for a human's sake (limits.maxRemovals)
 * left out: adoption writes nothing to the tenant, and a large hand change is
 * exactly what it must be able to codify. Protected principals are still known
 * (from the manifests' own protect lists) and never edited.
 */
export function driftForAdoption(desired: DesiredState, live: LiveState, catalog: string | undefined) {
  const relaxed: DesiredState = { ...desired, limits: {}, protect: { users: [], groups: [] } };
  try {
    const { resolved, plan, warnings } = planAgainst(relaxed, live, catalog !== undefined ? { catalog } : {});
    const drift = computeDrift({ desired: resolved, live, plan, reference: loadCatalog(catalog) });
    return { drift, resolved: { ...resolved, protect: desired.protect }, warnings };
  } catch (error) {
    if (isLicensectlError(error) && error.code === "plan-refused")
      throw new LicensectlError("plan-refused", "no plan can be made, so there is no drift to adopt", {
        problems: error.problems,
        hint: "Adoption follows the plan's changes. Fix the problems above (they are in the manifests or the tenant's seats) and run adopt again.",
      });
    throw error;
  }
}

/**
 * Reads the manifests and the tenant, computes the drift as `licensectl drift`
 * does, and returns the manifest edit that adopts it. Writes nothing: neither
 * the tenant (adoption never does) nor the files (the caller decides).
 */
export async function prepareAdoption(options: AdoptOptions): Promise<PreparedAdoption> {
  const { desired, warnings } = await loadDesiredState(options.manifestPaths, options.cwd);
  let into: string | undefined;
  if (options.into !== undefined) {
    const wanted = resolve(options.cwd, options.into);
    into = desired.files.find((file) => resolve(options.cwd, file) === wanted);
    if (into === undefined)
      throw new LicensectlError("bad-option", `--into ${options.into} is not one of the manifest files`, {
        hint: `Name one of: ${desired.files.slice(0, 10).join(", ")}${desired.files.length > 10 ? ", ..." : ""}.`,
      });
  }
  const connection =
    options.connection ?? connectToGraph(options.globals, options.env, desired.tenant.id, options.verbose);
  const live = await readTenant(connection, desired, options.progress);
  const {
    drift,
    resolved,
    warnings: planWarnings,
  } = driftForAdoption(desired, live, options.globals.catalog);

  const root = (await findRepositoryRoot(options.cwd)) ?? options.cwd;
  const paths = new Map<string, string>();
  const files = await Promise.all(
    desired.files.map(async (path) => {
      const absolute = resolve(options.cwd, path);
      const fromRoot = relative(root, absolute);
      const shown = toSlashes(fromRoot.startsWith("..") || isAbsolute(fromRoot) ? path : fromRoot);
      paths.set(shown, absolute);
      return { path, shown, text: await readFile(absolute, "utf8") };
    }),
  );
  const catalog = Catalog.fromSubscribedSkus(live.skus, loadCatalog(options.globals.catalog));
  const adoption = adoptManifests({
    drift,
    resolved,
    live,
    catalog,
    files,
    options: {
      ...(options.only !== undefined && options.only.length > 0 ? { only: new Set(options.only) } : {}),
      ...(options.principals !== undefined && options.principals.length > 0
        ? { principalIds: selectedIds(options.principals, live) }
        : {}),
      ...(into !== undefined ? { into } : {}),
    },
  });
  return { adoption, drift, paths, warnings: [...warnings, ...planWarnings] };
}
