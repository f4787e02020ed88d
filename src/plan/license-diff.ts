import type { ResolvedLicense, ScopeMode } from "../model/desired-state.js";
import type { PrincipalRef } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { compareText, normalizePlans, type LicenseMap, type LiveIndex } from "./live-index.js";

/** A declared SKU the principal does not hold directly. */
export interface PlannedAdd {
  readonly skuId: string;
  readonly disabledPlans: readonly string[];
  readonly license: ResolvedLicense;
}

/** A declared SKU held directly with another set of disabled plans. */
export interface PlannedUpdate {
  readonly skuId: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** Allow-list only: plans now disabled that the live assignment leaves enabled. */
  readonly allowListNewPlans: readonly string[];
  readonly license: ResolvedLicense;
}

export interface LicenseDiff {
  readonly adds: readonly PlannedAdd[];
  readonly updates: readonly PlannedUpdate[];
  /** In-scope SKUs held directly and not declared (authoritative mode only). */
  readonly removes: readonly string[];
}

/** What every diff needs to know besides the two license sets. */
export interface DiffContext {
  /** In-scope skuIds, lower-case. */
  readonly scope: ReadonlySet<string>;
  readonly mode: ScopeMode;
  readonly index: LiveIndex;
}

export function isEmptyDiff(diff: LicenseDiff): boolean {
  return diff.adds.length + diff.updates.length + diff.removes.length === 0;
}

/** The declared, in-scope licenses of one principal by skuId. */
export function declaredLicenses(
  principal: PrincipalRef,
  licenses: readonly ResolvedLicense[],
  scope: ReadonlySet<string>,
  index: LiveIndex,
): { readonly licenses: ReadonlyMap<string, ResolvedLicense>; readonly problems: readonly Problem[] } {
  const result = new Map<string, ResolvedLicense>();
  const problems: Problem[] = [];
  for (const license of licenses) {
    const skuId = license.skuId.toLowerCase();
    const sku = index.skus.get(skuId);
    if (!sku) {
      problems.push({
        code: "sku-not-in-tenant",
        severity: "error",
        message: `${license.skuPartNumber} is declared for ${principal.name} but the tenant has no subscription to it`,
        hint: "Buy the SKU first, or remove it from the manifest (run `licensectl skus` to list the tenant's SKUs).",
        location: license.location,
      });
      continue;
    }
    if (!scope.has(skuId)) {
      problems.push({
        code: "sku-out-of-scope",
        severity: "warning",
        message: `${sku.skuPartNumber} is declared for ${principal.name} but is not in scope.skus, so it is ignored`,
        hint: `Add ${sku.skuPartNumber} to scope.skus to manage it.`,
        location: license.location,
      });
      continue;
    }
    const earlier = result.get(skuId);
    if (earlier) {
      const at = `${earlier.location.file}:${earlier.location.line}:${earlier.location.column}`;
      problems.push({
        code: "duplicate-license",
        severity: "error",
        message: `${sku.skuPartNumber} is declared twice for ${principal.name} (also at ${at})`,
        hint: "A principal holds a SKU once; keep one entry (check the profiles it uses).",
        location: license.location,
      });
      continue;
    }
    result.set(skuId, license);
  }
  return { licenses: result, problems };
}

/**
 * The plans a license must disable. An allow-list is re-evaluated against the
 * tenant's current plans of the SKU, so a plan Microsoft added since the
 * manifest was written stays off.
 */
export function desiredDisabledPlans(license: ResolvedLicense, index: LiveIndex): readonly string[] {
  const declared = normalizePlans(license.disabledPlans);
  if (license.planMode !== "allow" || !license.enabledPlans) return declared;
  const sku = index.skus.get(license.skuId.toLowerCase());
  if (!sku) return declared;
  const allowed = new Set(license.enabledPlans.map((p) => p.toLowerCase()));
  const off = sku.servicePlans.map((p) => p.servicePlanId.toLowerCase()).filter((id) => !allowed.has(id));
  return normalizePlans([...declared, ...off]);
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The direct license difference of one principal, restricted to the SKUs in
 * scope. `declared` undefined means the manifest does not mention the
 * principal at all (only relevant in authoritative mode).
 */
export function diffLicenses(
  declared: ReadonlyMap<string, ResolvedLicense> | undefined,
  liveDirect: LicenseMap,
  context: DiffContext,
): LicenseDiff {
  const adds: PlannedAdd[] = [];
  const updates: PlannedUpdate[] = [];
  const removes: string[] = [];
  for (const [skuId, license] of declared ?? []) {
    const want = desiredDisabledPlans(license, context.index);
    const have = liveDirect.get(skuId);
    if (!have) {
      adds.push({ skuId, disabledPlans: want, license });
      continue;
    }
    if (sameSet(want, have)) continue;
    const newlyOff = license.planMode === "allow" ? want.filter((p) => !have.includes(p)) : [];
    updates.push({ skuId, from: have, to: want, allowListNewPlans: newlyOff, license });
  }
  if (context.mode === "authoritative") {
    for (const skuId of liveDirect.keys()) {
      if (context.scope.has(skuId) && !declared?.has(skuId)) removes.push(skuId);
    }
  }
  removes.sort(compareText);
  return { adds, updates, removes };
}
