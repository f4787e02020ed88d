import type { Catalog, CatalogSku } from "../catalog/catalog.js";
import type {
  DesiredLicense,
  DesiredPrincipal,
  DesiredState,
  ResolvedDesiredState,
  ResolvedLicense,
  ResolvedPrincipal,
} from "../model/desired-state.js";
import { hasErrors, type Problem, type SourceLocation } from "../model/problem.js";
import { didYouMean } from "../util/suggest.js";
import { orderProblems } from "./order-problems.js";
import { resolveEconomics } from "./resolve-economics.js";

/** Options of resolveDesiredState. */
export interface ResolveOptions {
  /** `catalog` is the tenant's own subscribedSkus: a SKU missing there is one the tenant does not own. */
  readonly catalogIsTenant?: boolean;
  /** The bundled catalog, to tell "the tenant has no subscription" from "no such product". */
  readonly reference?: Catalog;
}

const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;
const product = (sku: CatalogSku) =>
  sku.displayName && sku.displayName !== sku.partNumber
    ? `${sku.displayName} (${sku.partNumber})`
    : sku.partNumber;

/**
 * Resolves every SKU and service-plan name of `desired` to GUIDs against
 * `catalog`. An allow-list becomes "every plan of the SKU in `catalog` except
 * these", so against the tenant's catalog a plan Microsoft added later is
 * disabled. Returns problems instead of throwing; `state` only when none is an error.
 */
export function resolveDesiredState(
  desired: DesiredState,
  catalog: Catalog,
  options: ResolveOptions = {},
): { state?: ResolvedDesiredState; problems: Problem[] } {
  const problems: Problem[] = [];
  const error = (code: string, message: string, location: SourceLocation | undefined, hint: string) =>
    problems.push({ code, severity: "error", message, hint, ...(location ? { location } : {}) });
  const where = options.catalogIsTenant ? "the tenant's subscribed SKUs" : "the SKU catalog";

  const skuCache = new Map<string, CatalogSku | undefined>();
  const reported = new Set<string>();
  const resolveSku = (name: string, location: SourceLocation): CatalogSku | undefined => {
    const key = name.trim().toLowerCase();
    if (skuCache.has(key)) {
      const cached = skuCache.get(key);
      // Each wrong place gets its own error, so every line to fix is listed.
      if (!cached && !reported.has(`${key}@${at(location)}`)) report(name, location);
      return cached;
    }
    const lookup = catalog.lookupSku(name);
    const sku = lookup.kind === "found" ? lookup.sku : undefined;
    skuCache.set(key, sku);
    if (!sku) report(name, location);
    return sku;
  };
  function report(name: string, location: SourceLocation): void {
    reported.add(`${name.trim().toLowerCase()}@${at(location)}`);
    const lookup = catalog.lookupSku(name);
    if (lookup.kind === "ambiguous") {
      const candidates = lookup.candidates.map((c) => `${c.id} (${c.partNumber}, "${c.displayName}")`);
      error(
        "ambiguous-sku",
        `SKU name "${name}" matches ${lookup.candidates.length} products: ${candidates.join(", ")}`,
        location,
        `Name the SKU by its skuId GUID, e.g. "${lookup.candidates[0]!.id}".`,
      );
      return;
    }
    const suggestions = lookup.kind === "unknown" ? lookup.suggestions : [];
    const known = options.catalogIsTenant ? options.reference?.lookupSku(name) : undefined;
    if (known && known.kind !== "unknown") {
      const label = known.kind === "found" ? product(known.sku) : `"${name}"`;
      error(
        "sku-not-in-tenant",
        `the tenant has no subscription for ${label}`,
        location,
        "Buy the product (or wait for the subscription to appear), or remove it from the manifests; `licensectl skus` lists what the tenant owns.",
      );
      return;
    }
    error(
      "unknown-sku",
      `unknown SKU "${name}": no product in ${where} has this part number, display name or GUID`,
      location,
      `${didYouMean(suggestions) || "Check the spelling."} \`licensectl skus\` lists SKU names.`,
    );
  }

  // Scope.
  const scopeIds = new Map<string, SourceLocation>();
  for (const entry of desired.scope.skus) {
    const sku = resolveSku(entry.name, entry.location);
    if (!sku) continue;
    const first = scopeIds.get(sku.id);
    if (first) {
      problems.push({
        code: "duplicate-scope-sku",
        severity: "warning",
        message: `${product(sku)} is listed in scope.skus twice (also at ${at(first)})`,
        hint: "Remove one of the two entries.",
        location: entry.location,
      });
      continue;
    }
    scopeIds.set(sku.id, entry.location);
  }
  const scopeKnown = desired.scope.skus.length > 0;

  const resolveLicense = (
    license: DesiredLicense,
    principal: DesiredPrincipal,
  ): ResolvedLicense | undefined => {
    const sku = resolveSku(license.sku, license.location);
    if (!sku) return undefined;
    if (scopeKnown && !scopeIds.has(sku.id)) {
      const scopeAt = desired.scope.skus[0]?.location;
      error(
        "sku-not-in-scope",
        `${product(sku)} ${license.viaProfile ? `in profile "${license.viaProfile.name}"` : `is assigned to ${principal.kind} "${principal.ref}" but`} is not in scope.skus, so licensectl would never manage it`,
        license.location,
        `Add ${sku.partNumber} to scope.skus${scopeAt ? ` (${at(scopeAt)})` : ""}, or remove this license.`,
      );
    }
    const resolvePlans = (key: "disabledPlans" | "enabledPlans") => {
      const ids: string[] = [];
      for (const [index, name] of (license[key] ?? []).entries()) {
        const location = license.planLocations?.[key]?.[index] ?? license.location;
        const lookup = catalog.lookupPlan(sku, name);
        if (lookup.kind === "found") {
          ids.push(lookup.plan.id);
          continue;
        }
        const list = didYouMean(lookup.suggestions);
        const plans = `Plans of ${sku.partNumber}: ${sku.servicePlans
          .map((p) => p.name)
          .sort()
          .join(", ")}.`;
        if (lookup.kind === "not-in-sku") {
          error(
            "plan-not-in-sku",
            `service plan "${name}" is not part of ${product(sku)}`,
            location,
            list || plans,
          );
        } else {
          error("unknown-plan", `unknown service plan "${name}" in ${product(sku)}`, location, list || plans);
        }
      }
      return [...new Set(ids)].sort();
    };
    const base = {
      skuId: sku.id,
      skuPartNumber: sku.partNumber,
      location: license.location,
      ...(license.viaProfile ? { viaProfile: license.viaProfile.name } : {}),
    };
    if (license.enabledPlans) {
      const enabled = resolvePlans("enabledPlans");
      if (license.disabledPlans) resolvePlans("disabledPlans");
      const disabled = sku.servicePlans.map((p) => p.id).filter((id) => !enabled.includes(id));
      return {
        ...base,
        planMode: "allow",
        enabledPlans: enabled,
        disabledPlans: [...new Set(disabled)].sort(),
      };
    }
    if (license.disabledPlans)
      return { ...base, planMode: "deny", disabledPlans: resolvePlans("disabledPlans") };
    return { ...base, planMode: "all", disabledPlans: [] };
  };

  const resolvePrincipal = (principal: DesiredPrincipal): ResolvedPrincipal => {
    const licenses: ResolvedLicense[] = [];
    const seen = new Map<string, ResolvedLicense>();
    for (const license of principal.licenses) {
      const resolved = resolveLicense(license, principal);
      if (!resolved) continue;
      const first = seen.get(resolved.skuId);
      if (first) {
        const via = (l: ResolvedLicense) => (l.viaProfile ? ` through profile "${l.viaProfile}"` : "");
        error(
          "duplicate-license",
          `${principal.kind} "${principal.ref}" gets ${resolved.skuPartNumber} twice: here${via(resolved)} and at ${at(first.location)}${via(first)}`,
          license.viaProfile?.location ?? license.location,
          "A principal holds a SKU once; keep one entry and put all its plan settings there.",
        );
        continue;
      }
      seen.set(resolved.skuId, resolved);
      licenses.push(resolved);
    }
    return {
      kind: principal.kind,
      ref: principal.ref,
      ...(principal.usageLocation !== undefined ? { usageLocation: principal.usageLocation } : {}),
      licenses,
      location: principal.location,
    };
  };

  const groups = desired.groups.map(resolvePrincipal);
  const users = desired.users.map(resolvePrincipal);
  const economics = resolveEconomics(desired.prices ?? [], desired.policies, catalog, options);
  problems.push(...economics.problems);
  const unique = orderProblems(problems);
  if (hasErrors(unique)) return { problems: unique };
  return {
    state: {
      tenant: desired.tenant,
      scope: { skuIds: [...scopeIds.keys()].sort(), mode: desired.scope.mode },
      protect: desired.protect,
      limits: desired.limits,
      users,
      groups,
      ...(economics.prices.length > 0 ? { prices: economics.prices } : {}),
      ...(economics.policies ? { policies: economics.policies } : {}),
      digest: desired.digest,
    },
    problems: unique,
  };
}
