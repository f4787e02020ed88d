import type { LicenseAssignmentState, LiveGroup, LiveSku, LiveState, LiveUser } from "../model/live-state.js";
import type { ServicePlanRef, SkuRef } from "../model/plan.js";

/** skuId -> disabled plan ids (lower-case, sorted, unique). */
export type LicenseMap = ReadonlyMap<string, readonly string[]>;

/**
 * Lookups over a LiveState that the planner needs again and again. Built once
 * per plan; GUIDs are lower-cased here too, so a reader that forgot stays correct.
 */
export interface LiveIndex {
  readonly live: LiveState;
  readonly skus: ReadonlyMap<string, LiveSku>;
  /** servicePlanId -> servicePlanName, over every SKU of the tenant. */
  readonly planNames: ReadonlyMap<string, string>;
  readonly users: ReadonlyMap<string, LiveUser>;
  /** Lower-cased userPrincipalName -> user. */
  readonly usersByUpn: ReadonlyMap<string, LiveUser>;
  readonly groups: ReadonlyMap<string, LiveGroup>;
  /** Lower-cased displayName / mailNickname -> groups bearing it (names need not be unique). */
  readonly groupsByName: ReadonlyMap<string, readonly LiveGroup[]>;
  readonly groupsByMailNickname: ReadonlyMap<string, readonly LiveGroup[]>;
  /** Direct user members per group id (memberIds, else the users inheriting from it). */
  readonly groupMembers: ReadonlyMap<string, readonly string[]>;
  /** The same members as sets, for membership tests in large groups. */
  readonly groupMemberSets: ReadonlyMap<string, ReadonlySet<string>>;
  /** Groups whose members were not read (no memberIds). */
  readonly groupsWithUnreadMembers: ReadonlySet<string>;
  /** user id -> ids of groups the user is a direct member of or inherits a license from. */
  readonly userGroups: ReadonlyMap<string, ReadonlySet<string>>;
  /** directLicensesOfUser, computed once per user. */
  directOf(userId: string): LicenseMap;
}

const lower = (text: string) => text.toLowerCase();

export function normalizePlans(plans: readonly string[]): readonly string[] {
  return [...new Set(plans.map(lower))].sort();
}

/**
 * A user's direct assignments: licenseAssignmentStates without assignedByGroup.
 * assignedLicenses mixes direct and inherited licenses, so it is only a
 * fallback for readers that could not get licenseAssignmentStates.
 */
export function directLicensesOfUser(user: LiveUser): LicenseMap {
  const result = new Map<string, readonly string[]>();
  if (user.licenseAssignmentStates.length === 0) {
    for (const license of user.assignedLicenses)
      result.set(lower(license.skuId), normalizePlans(license.disabledPlans));
    return result;
  }
  for (const state of user.licenseAssignmentStates) {
    if (state.assignedByGroup !== null) continue;
    result.set(lower(state.skuId), normalizePlans(state.disabledPlans));
  }
  return result;
}

export function licensesOfGroup(group: LiveGroup): LicenseMap {
  const result = new Map<string, readonly string[]>();
  for (const license of group.assignedLicenses)
    result.set(lower(license.skuId), normalizePlans(license.disabledPlans));
  return result;
}

/**
 * Whether an assignment state gives the user the license now. Entra keeps a
 * group assignment that failed for a member (CountViolation, ...) as a state
 * in Error, and one switched off as Disabled: neither gives access nor takes
 * a seat, so neither covers anything. ActiveWithError counts only while the
 * SKU is among the user's assignedLicenses, i.e. while it is really assigned.
 */
export function isInEffect(state: LicenseAssignmentState, user: LiveUser): boolean {
  if (state.state === "Active") return true;
  if (state.state !== "ActiveWithError") return false;
  const skuId = lower(state.skuId);
  return user.assignedLicenses.some((license) => lower(license.skuId) === skuId);
}

/** Every SKU the user holds now, by a path in effect (this is what consumes seats). */
export function heldSkusOfUser(user: LiveUser): ReadonlySet<string> {
  const held = new Set<string>();
  for (const license of user.assignedLicenses) held.add(lower(license.skuId));
  for (const state of user.licenseAssignmentStates) if (isInEffect(state, user)) held.add(lower(state.skuId));
  return held;
}

/**
 * The SKUs the user holds through `groupId` now, by states in effect; undefined
 * when the reader got no states for the user (then the group's licenses are all
 * that is known).
 */
export function skusHeldThroughGroup(user: LiveUser, groupId: string): ReadonlySet<string> | undefined {
  if (user.licenseAssignmentStates.length === 0) return undefined;
  const held = new Set<string>();
  const group = lower(groupId);
  for (const state of user.licenseAssignmentStates)
    if (state.assignedByGroup !== null && lower(state.assignedByGroup) === group && isInEffect(state, user))
      held.add(lower(state.skuId));
  return held;
}

export function indexLiveState(live: LiveState): LiveIndex {
  const skus = new Map<string, LiveSku>();
  const planNames = new Map<string, string>();
  for (const sku of live.skus) {
    skus.set(lower(sku.skuId), sku);
    for (const plan of sku.servicePlans) planNames.set(lower(plan.servicePlanId), plan.servicePlanName);
  }
  const users = new Map<string, LiveUser>();
  const usersByUpn = new Map<string, LiveUser>();
  for (const user of live.users) {
    users.set(lower(user.id), user);
    usersByUpn.set(lower(user.userPrincipalName), user);
  }
  const groups = new Map<string, LiveGroup>();
  const groupsByName = new Map<string, LiveGroup[]>();
  const groupsByMailNickname = new Map<string, LiveGroup[]>();
  const push = (map: Map<string, LiveGroup[]>, key: string | null, group: LiveGroup) => {
    if (key === null || key === "") return;
    const list = map.get(lower(key));
    if (list) list.push(group);
    else map.set(lower(key), [group]);
  };
  for (const group of live.groups) {
    groups.set(lower(group.id), group);
    push(groupsByName, group.displayName, group);
    push(groupsByMailNickname, group.mailNickname, group);
  }

  const inheritors = new Map<string, Set<string>>();
  const userGroups = new Map<string, Set<string>>();
  const link = (userId: string, groupId: string) => {
    let set = userGroups.get(userId);
    if (!set) userGroups.set(userId, (set = new Set()));
    set.add(groupId);
  };
  for (const user of live.users) {
    for (const state of user.licenseAssignmentStates) {
      if (state.assignedByGroup === null) continue;
      const groupId = lower(state.assignedByGroup);
      let set = inheritors.get(groupId);
      if (!set) inheritors.set(groupId, (set = new Set()));
      set.add(lower(user.id));
      link(lower(user.id), groupId);
    }
  }
  const groupMembers = new Map<string, readonly string[]>();
  const unread = new Set<string>();
  for (const group of live.groups) {
    const id = lower(group.id);
    if (group.memberIds) {
      const members = [...new Set(group.memberIds.map(lower))].filter((m) => users.has(m)).sort();
      groupMembers.set(id, members);
      for (const member of members) link(member, id);
    } else {
      unread.add(id);
      groupMembers.set(id, [...(inheritors.get(id) ?? [])].sort());
    }
  }
  const groupMemberSets = new Map<string, ReadonlySet<string>>();
  for (const [id, members] of groupMembers) groupMemberSets.set(id, new Set(members));
  const direct = new Map<string, LicenseMap>();
  const directOf = (userId: string): LicenseMap => {
    let licenses = direct.get(userId);
    if (!licenses) {
      const user = users.get(userId);
      licenses = user ? directLicensesOfUser(user) : new Map();
      direct.set(userId, licenses);
    }
    return licenses;
  };
  return {
    live,
    directOf,
    skus,
    planNames,
    users,
    usersByUpn,
    groups,
    groupsByName,
    groupsByMailNickname,
    groupMembers,
    groupMemberSets,
    groupsWithUnreadMembers: unread,
    userGroups,
  };
}

export function skuRefOf(index: LiveIndex, skuId: string): SkuRef {
  const sku = index.skus.get(skuId);
  return { skuId, skuPartNumber: sku?.skuPartNumber ?? skuId };
}

/** Plan references with names from the tenant's SKUs; an unknown id keeps the id as its name. */
export function planRefsOf(index: LiveIndex, planIds: readonly string[]): ServicePlanRef[] {
  return normalizePlans(planIds)
    .map((id) => ({ id, name: index.planNames.get(id) ?? id }))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
}

/** Ordinal comparison: locale-independent, so plans are byte-identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareSkuRefs(a: SkuRef, b: SkuRef): number {
  return compareText(a.skuPartNumber, b.skuPartNumber) || compareText(a.skuId, b.skuId);
}
