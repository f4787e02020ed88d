import type { LicenseStateRecord, RulesRecord, SkuRecord } from "./tenant-model.js";

/** A licensing rule a set of enabled plans breaks. */
export type RuleViolation =
  /** `requires`: the plans of which one would do. */
  | { readonly kind: "dependency"; readonly plan: string; readonly requires: readonly string[] }
  | { readonly kind: "exclusive"; readonly plans: readonly [string, string] };

const keyOf = (v: RuleViolation) => (v.kind === "dependency" ? `d:${v.plan}` : `x:${v.plans.join(",")}`);

/** Service plans enabled by a set of assignments (plans of each SKU minus its disabled ones), across all of them. */
export function enabledPlans(
  assignments: readonly Pick<LicenseStateRecord, "skuId" | "disabledPlans">[],
  skus: ReadonlyMap<string, SkuRecord>,
): Set<string> {
  const enabled = new Set<string>();
  for (const a of assignments) {
    const sku = skus.get(a.skuId);
    if (!sku) continue;
    const disabled = new Set(a.disabledPlans);
    for (const plan of sku.servicePlans)
      if (!disabled.has(plan.servicePlanId)) enabled.add(plan.servicePlanId);
  }
  return enabled;
}

/** The rules that `enabled` breaks: plans none of whose prerequisites is on, and exclusive plans held together. */
export function ruleViolations(enabled: ReadonlySet<string>, rules: RulesRecord): RuleViolation[] {
  const found: RuleViolation[] = [];
  for (const rule of rules.dependencies) {
    if (!enabled.has(rule.plan)) continue;
    if (!rule.requires.some((r) => enabled.has(r)))
      found.push({ kind: "dependency", plan: rule.plan, requires: rule.requires });
  }
  for (const set of rules.mutuallyExclusive) {
    const held = set.filter((p) => enabled.has(p));
    if (held.length >= 2) found.push({ kind: "exclusive", plans: [held[0]!, held[1]!] });
  }
  return found;
}

/**
 * The violations `after` has that `before` did not: a change is refused for
 * what it breaks, not for what a tenant already had.
 */
export function newViolations(
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
  rules: RulesRecord,
): RuleViolation[] {
  if (rules.dependencies.length === 0 && rules.mutuallyExclusive.length === 0) return [];
  const old = new Set(ruleViolations(before, rules).map(keyOf));
  return ruleViolations(after, rules).filter((v) => !old.has(keyOf(v)));
}
