import type { LiveGroup, LiveSku, LiveState, LiveUser } from "../model/live-state.js";
import { compareText } from "./live-index.js";

const lower = (s: string) => s.toLowerCase();

/** skuId -> "PART" or "PART (disabled: a, b)" so a change of disabled plans shows as a change. */
function licenseLines(
  licenses: readonly { skuId: string; disabledPlans: readonly string[] }[],
  skuName: (id: string) => string,
  planName: (id: string) => string,
): Map<string, string> {
  const result = new Map<string, string>();
  for (const l of licenses) {
    const plans = l.disabledPlans.map((p) => planName(lower(p))).sort(compareText);
    result.set(
      lower(l.skuId),
      plans.length > 0
        ? `${skuName(lower(l.skuId))} (disabled: ${plans.join(", ")})`
        : skuName(lower(l.skuId)),
    );
  }
  return result;
}

function compareLicenses(
  label: string,
  before: Map<string, string>,
  after: Map<string, string>,
  out: string[],
): void {
  for (const [id, text] of before) {
    const now = after.get(id);
    if (now === undefined) out.push(`${label}: lost ${text}`);
    else if (now !== text) out.push(`${label}: ${text} is now ${now}`);
  }
  for (const [id, text] of after) if (!before.has(id)) out.push(`${label}: gained ${text}`);
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [lower(i.id), i]));
}

/**
 * What moved in the tenant between two reads, one line per difference, in a
 * stable order, over the parts a plan depends on. Used to explain a stale plan.
 */
export function diffLiveStates(before: LiveState, after: LiveState): string[] {
  const out: string[] = [];
  if (lower(before.tenant.id) !== lower(after.tenant.id))
    out.push(`tenant: ${before.tenant.id} is now ${after.tenant.id}`);
  const skuNames = new Map<string, string>();
  const planNames = new Map<string, string>();
  for (const sku of [...before.skus, ...after.skus]) {
    skuNames.set(lower(sku.skuId), sku.skuPartNumber);
    for (const p of sku.servicePlans) planNames.set(lower(p.servicePlanId), p.servicePlanName);
  }
  const skuName = (id: string) => skuNames.get(id) ?? id;
  const planName = (id: string) => planNames.get(id) ?? id;

  const skusBefore = new Map(before.skus.map((s) => [lower(s.skuId), s]));
  const skusAfter = new Map(after.skus.map((s) => [lower(s.skuId), s]));
  const describeSku = (s: LiveSku) =>
    `${s.capabilityStatus}, ${s.prepaidUnits.enabled} enabled, plans ${s.servicePlans
      .map((p) => p.servicePlanName)
      .sort(compareText)
      .join(", ")}`;
  for (const id of [...new Set([...skusBefore.keys(), ...skusAfter.keys()])].sort(compareText)) {
    const a = skusBefore.get(id);
    const b = skusAfter.get(id);
    if (!a) out.push(`SKU ${skuName(id)}: added`);
    else if (!b) out.push(`SKU ${skuName(id)}: removed`);
    else if (describeSku(a) !== describeSku(b))
      out.push(`SKU ${skuName(id)}: ${describeSku(a)} is now ${describeSku(b)}`);
  }

  const usersBefore = byId<LiveUser>(before.users);
  const usersAfter = byId<LiveUser>(after.users);
  const directAndInherited = (u: LiveUser) => {
    const states =
      u.licenseAssignmentStates.length > 0
        ? u.licenseAssignmentStates
        : u.assignedLicenses.map((l) => ({ ...l, assignedByGroup: null }));
    return states.map((s) => ({
      skuId: s.assignedByGroup === null ? s.skuId : `${s.skuId}/${lower(s.assignedByGroup)}`,
      disabledPlans: s.disabledPlans,
    }));
  };
  const userSkuName = (id: string) => {
    const [sku, group] = id.split("/");
    const groupName = group
      ? ((after.groups.find((g) => lower(g.id) === group) ?? before.groups.find((g) => lower(g.id) === group))
          ?.displayName ?? group)
      : "";
    return group ? `${skuName(sku!)} through ${groupName}` : skuName(sku!);
  };
  const userIds = [...new Set([...usersBefore.keys(), ...usersAfter.keys()])];
  const upnOf = (id: string) => (usersAfter.get(id) ?? usersBefore.get(id))!.userPrincipalName;
  for (const id of userIds.sort(
    (x, y) => compareText(lower(upnOf(x)), lower(upnOf(y))) || compareText(x, y),
  )) {
    const a = usersBefore.get(id);
    const b = usersAfter.get(id);
    if (!a || !b) {
      out.push(`user ${upnOf(id)}: ${a ? "deleted" : "created"}`);
      continue;
    }
    const label = `user ${b.userPrincipalName}`;
    if (a.userPrincipalName !== b.userPrincipalName)
      out.push(`${label}: renamed from ${a.userPrincipalName}`);
    if ((a.usageLocation ?? null) !== (b.usageLocation ?? null))
      out.push(`${label}: usageLocation ${a.usageLocation ?? "none"} is now ${b.usageLocation ?? "none"}`);
    compareLicenses(
      label,
      licenseLines(directAndInherited(a), userSkuName, planName),
      licenseLines(directAndInherited(b), userSkuName, planName),
      out,
    );
  }

  const groupsBefore = byId<LiveGroup>(before.groups);
  const groupsAfter = byId<LiveGroup>(after.groups);
  const nameOf = (id: string) => (groupsAfter.get(id) ?? groupsBefore.get(id))!.displayName;
  const groupIds = [...new Set([...groupsBefore.keys(), ...groupsAfter.keys()])];
  for (const id of groupIds.sort(
    (x, y) => compareText(lower(nameOf(x)), lower(nameOf(y))) || compareText(x, y),
  )) {
    const a = groupsBefore.get(id);
    const b = groupsAfter.get(id);
    if (!a || !b) {
      out.push(`group ${nameOf(id)}: ${a ? "deleted" : "created"}`);
      continue;
    }
    const label = `group ${b.displayName}`;
    if (a.displayName !== b.displayName) out.push(`${label}: renamed from ${a.displayName}`);
    if (a.securityEnabled !== b.securityEnabled)
      out.push(`${label}: securityEnabled ${a.securityEnabled} is now ${b.securityEnabled}`);
    compareLicenses(
      label,
      licenseLines(a.assignedLicenses, skuName, planName),
      licenseLines(b.assignedLicenses, skuName, planName),
      out,
    );
    const membersA = new Set((a.memberIds ?? []).map(lower));
    const membersB = new Set((b.memberIds ?? []).map(lower));
    const joined = [...membersB].filter((m) => !membersA.has(m)).length;
    const left = [...membersA].filter((m) => !membersB.has(m)).length;
    if (a.memberIds && b.memberIds && (joined > 0 || left > 0))
      out.push(`${label}: ${joined} member(s) joined, ${left} left`);
  }
  return out;
}
