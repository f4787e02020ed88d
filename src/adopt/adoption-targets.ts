import type { AdoptedItem, AdoptSelection, AdoptSkip } from "../model/adopt.js";
import type { ResolvedDesiredState } from "../model/desired-state.js";
import type { DriftPrincipal, DriftReport, PendingChange } from "../model/drift.js";
import type { ServicePlanRef } from "../model/plan.js";
import { compareText, licensesOfGroup, type LicenseMap, type LiveIndex } from "../plan/live-index.js";
import { matchPrincipals } from "../plan/principal-matching.js";

/**
 * What the manifests must say about one drifted principal so that they
 * describe the tenant: for each SKU the plan would change, the tenant's
 * direct assignment (its disabled plans) or null when the tenant holds none;
 * and the tenant's usage location when the plan would change it.
 */
export interface PrincipalTarget {
  readonly principal: DriftPrincipal & { readonly id: string };
  /** skuId -> disabled plan ids the tenant has, or null: not held directly. */
  readonly licenses: ReadonlyMap<string, readonly string[] | null>;
  /** Set when the usage location is adopted: the tenant's (null: none). */
  readonly usageLocation?: { readonly tenant: string | null };
  readonly items: readonly AdoptedItem[];
}

/** Which drift adoption carries back: kinds of drift, and principals. */
export interface TargetOptions {
  /** Default: all three. */
  readonly only?: ReadonlySet<AdoptSelection>;
  /** Live ids of the principals named by --principal; undefined: every principal. */
  readonly principalIds?: ReadonlySet<string>;
}

const lower = (text: string) => text.toLowerCase();

function selectionOf(change: PendingChange): AdoptSelection {
  if (change.kind === "setUsageLocation") return "usage-locations";
  return change.principal.kind === "user" ? "users" : "groups";
}

/**
 * The targets of the drift report's pending changes: every change the plan
 * would make is a place where the tenant differs from the manifests, so the
 * manifests adopt the tenant's side of it. Protected principals and those
 * outside the selection are skipped, with the reason, and never edited.
 */
export function adoptionTargets(
  drift: DriftReport,
  resolved: ResolvedDesiredState,
  index: LiveIndex,
  options: TargetOptions,
): { readonly targets: readonly PrincipalTarget[]; readonly skipped: readonly AdoptSkip[] } {
  // The planner's own matching decides who is protected, exactly as the plan's guard does.
  const matches = matchPrincipals(resolved, index);
  const targets = new Map<
    string,
    {
      principal: PrincipalTarget["principal"];
      licenses: Map<string, readonly string[] | null>;
      items: AdoptedItem[];
      usageLocation?: { tenant: string | null };
    }
  >();
  const skipped = new Map<string, AdoptSkip>();
  const skip = (change: PendingChange, reason: AdoptSkip["reason"]) => {
    const key = `${change.principal.kind}:${change.principal.id ?? change.principal.name}:${reason}`;
    const earlier = skipped.get(key);
    skipped.set(key, {
      principal: change.principal,
      reason,
      changeIds: [...(earlier?.changeIds ?? []), change.changeId],
    });
  };
  const planRefs = (ids: readonly string[]): ServicePlanRef[] =>
    ids.map((id) => ({ id, name: index.planNames.get(id) ?? id }));

  for (const change of drift.pendingChanges) {
    const id = change.principal.id === undefined ? undefined : lower(change.principal.id);
    if (id === undefined) continue;
    const protectedNames =
      change.principal.kind === "user" ? matches.protectedUsers : matches.protectedGroups;
    if (protectedNames.has(id)) {
      skip(change, "protected");
      continue;
    }
    const only = options.only;
    if (
      (only !== undefined && !only.has(selectionOf(change))) ||
      (options.principalIds && !options.principalIds.has(id))
    ) {
      skip(change, "not-selected");
      continue;
    }
    if (
      change.kind === "setUsageLocation" &&
      !change.reasons.some((r) => r.code === "usage-location-declared")
    ) {
      // The plan sets tenant.defaultUsageLocation because it adds a license: adopting the license drops it.
      skip(change, "default-usage-location");
      continue;
    }
    const key = `${change.principal.kind}:${id}`;
    const target = targets.get(key) ?? {
      principal: { ...change.principal, id },
      licenses: new Map<string, readonly string[] | null>(),
      items: [],
    };
    targets.set(key, target);
    if (change.kind === "setUsageLocation") {
      const usage = change.usageLocation!;
      target.usageLocation = { tenant: usage.from };
      target.items.push({
        kind: "set-usage-location",
        changeId: change.changeId,
        manifest: usage.to,
        tenant: usage.from,
      });
      continue;
    }
    const group = index.groups.get(id);
    const held: LicenseMap =
      change.principal.kind === "user" ? index.directOf(id) : group ? licensesOfGroup(group) : new Map();
    for (const sku of change.add) {
      target.licenses.set(lower(sku.skuId), null);
      target.items.push({ kind: "drop-license", changeId: change.changeId, sku });
    }
    for (const sku of change.remove) {
      const plans = held.get(lower(sku.skuId));
      if (plans === undefined) continue;
      target.licenses.set(lower(sku.skuId), plans);
      target.items.push({
        kind: "declare-license",
        changeId: change.changeId,
        sku,
        disabledPlans: planRefs(plans),
      });
    }
    for (const sku of change.update) {
      const plans = held.get(lower(sku.skuId));
      if (plans === undefined) continue;
      target.licenses.set(lower(sku.skuId), plans);
      target.items.push({
        kind: "set-plans",
        changeId: change.changeId,
        sku,
        disabledPlans: planRefs(plans),
      });
    }
  }
  const ordered = [...targets.values()].sort(
    (a, b) =>
      compareText(a.principal.kind, b.principal.kind) ||
      compareText(lower(a.principal.name), lower(b.principal.name)),
  );
  return { targets: ordered, skipped: [...skipped.values()] };
}
