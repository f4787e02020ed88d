import type { Catalog } from "../catalog/catalog.js";
import type { DesiredPrincipal } from "../model/desired-state.js";
import type { ValidationReport } from "../report/problems/validation-report.js";
import { loadManifestsLeniently, type LoadOptions } from "./load-manifests.js";
import { orderProblems } from "./order-problems.js";
import { resolveDesiredState } from "./resolve-names.js";
import { withPriceTable } from "./price-table.js";

/**
 * Everything `licensectl validate` checks, offline: loading, schema, merge
 * rules and name resolution against `catalog`. Name resolution runs even when
 * some files have errors, so one run lists every problem.
 */
export async function validateManifests(
  paths: readonly string[],
  catalog: Catalog,
  options: LoadOptions & { readonly pricesFile?: string } = {},
): Promise<ValidationReport> {
  const lenient = await loadManifestsLeniently(paths, options);
  const priced = await withPriceTable(lenient.state, options.pricesFile, options.cwd ?? process.cwd());
  const loaded = { ...lenient, state: priced.desired, problems: [...lenient.problems, ...priced.problems] };
  // Unused profiles ride along as pseudo-groups, so a wrong name in one is reported too.
  const profileHolders: DesiredPrincipal[] = [...loaded.unusedProfiles].map(([name, licenses]) => ({
    kind: "group",
    ref: `profile ${name}`,
    licenses,
    location: licenses[0]?.viaProfile?.location ?? { file: "", line: 1, column: 1 },
  }));
  const resolved = resolveDesiredState(
    { ...loaded.state, groups: [...loaded.state.groups, ...profileHolders] },
    catalog,
  );
  const skuIds = new Set(
    loaded.state.scope.skus.flatMap((entry) => {
      const lookup = catalog.lookupSku(entry.name);
      return lookup.kind === "found" ? [lookup.sku.id] : [];
    }),
  );
  return {
    target: paths.join(", "),
    files: loaded.state.files,
    skipped: loaded.skippedFiles,
    problems: orderProblems([...loaded.problems, ...resolved.problems]),
    totals: { users: loaded.state.users.length, groups: loaded.state.groups.length, skus: skuIds.size },
  };
}
