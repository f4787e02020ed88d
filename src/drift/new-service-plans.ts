import type { NewPlanHolder, NewServicePlan } from "../model/drift.js";
import { compareSkuRefs, comparePrincipals, compareText, type DriftContext } from "./drift-context.js";

const lower = (text: string) => text.toLowerCase();

/**
 * Service plans in the tenant's copy of a SKU that the bundled catalog's copy
 * lacks: Microsoft added them after the catalog was published. A SKU the
 * catalog does not know at all is skipped (there is nothing to compare with).
 *
 * For every manifest entry declaring the SKU it says what happens to the new
 * plan: with a deny-list (or no list) it is enabled without anyone having
 * chosen it; with an allow-list it stays disabled and the plan says so.
 */
export function newServicePlans(context: DriftContext): NewServicePlan[] {
  const result: NewServicePlan[] = [];
  const entries = [...context.desired.users, ...context.desired.groups];
  for (const sku of context.live.skus) {
    const skuId = lower(sku.skuId);
    const known = context.reference.skuById(skuId);
    if (!known) continue;
    const knownPlans = new Set(known.servicePlans.map((p) => lower(p.id)));
    const added = sku.servicePlans.filter((p) => !knownPlans.has(lower(p.servicePlanId)));
    if (added.length === 0) continue;
    const declaring = entries.flatMap((entry) =>
      entry.licenses.filter((l) => lower(l.skuId) === skuId).map((license) => ({ entry, license })),
    );
    for (const plan of added) {
      const planId = lower(plan.servicePlanId);
      const holders: NewPlanHolder[] = declaring.map(({ entry, license }) => ({
        principal: context.declaredPrincipal(entry),
        planMode: license.planMode,
        effect: license.disabledPlans.map(lower).includes(planId) ? "kept-disabled" : "enabled",
        location: license.location,
      }));
      holders.sort((a, b) => comparePrincipals(a.principal, b.principal));
      result.push({ sku: context.skuRef(skuId), plan: { id: planId, name: plan.servicePlanName }, holders });
    }
  }
  return result.sort((a, b) => compareSkuRefs(a.sku, b.sku) || compareText(a.plan.name, b.plan.name));
}
