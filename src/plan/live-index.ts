import type { LicenseAssignmentState, LiveGroup, LiveSku, LiveState, LiveUser } from "../model/live-state.js";
import type { ServicePlanRef, SkuRef } from "../model/plan.js";

/** skuId -> disabled plan ids (lower-case, sorted, unique). */
export type LicenseMap = ReadonlyMap<string, readonly string[]>;

/** A lookup by key, computed on first use where a map of every user would cost more than the plan needs. */
export interface Lookup<K, V> {
  get(key: K): V | undefined;
}

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
  /** Lower-cased userPrincipalName -> user (built when first asked: group-based manifests never ask). */
  readonly usersByUpn: Lookup<string, LiveUser>;
  readonly groups: ReadonlyMap<string, LiveGroup>;
  /** Lower-cased displayName / mailNickname -> groups bearing it (names need not be unique). */
  readonly groupsByName: ReadonlyMap<string, readonly LiveGroup[]>;
  readonly groupsByMailNickname: ReadonlyMap<string, readonly LiveGroup[]>;
  /** Direct user members per group id (memberIds, else the users inheriting from it). */
  readonly groupMembers: ReadonlyMap<string, readonly string[]>;
  /** Membership tests on the same members (binary search over the sorted lists, no copy). */
  readonly groupMemberSets: Lookup<string, { has(userId: string): boolean }>;
  /** Groups whose members were not read (no memberIds). */
  readonly groupsWithUnreadMembers: ReadonlySet<string>;
  /**
   * user id -> ids of groups the user inherits a license from (in the order
   * of the user's states) or is a direct member of (in the order of the
   * groups), each once; computed per user when asked, as plans touch few.
   */
  readonly userGroups: Lookup<string, ReadonlySet<string>>;
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
  for (const user of live.users) users.set(lower(user.id), user);
  let upnMap: Map<string, LiveUser> | undefined;
  const usersByUpn: Lookup<string, LiveUser> = {
    get: (upn) => {
      if (upnMap === undefined) {
        upnMap = new Map();
        for (const user of live.users) upnMap.set(lower(user.userPrincipalName), user);
      }
      return upnMap.get(upn);
    },
  };
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

  const groupMembers = new Map<string, readonly string[]>();
  const unread = new Set<string>();
  for (const group of live.groups) {
    const id = lower(group.id);
    if (group.memberIds) {
      const members = [...new Set(group.memberIds.map(lower))].filter((m) => users.has(m)).sort();
      groupMembers.set(id, members);
    } else unread.add(id);
  }
  // Groups whose members were not read: the users inheriting from them stand in for their members.
  if (unread.size > 0) {
    const inheritors = new Map<string, Set<string>>();
    for (const user of live.users) {
      for (const state of user.licenseAssignmentStates) {
        if (state.assignedByGroup === null) continue;
        const groupId = lower(state.assignedByGroup);
        if (!unread.has(groupId)) continue;
        let set = inheritors.get(groupId);
        if (!set) inheritors.set(groupId, (set = new Set()));
        set.add(lower(user.id));
      }
    }
    for (const id of unread) groupMembers.set(id, [...(inheritors.get(id) ?? [])].sort());
  }
  const groupMemberSets: Lookup<string, { has(userId: string): boolean }> = {
    get: (groupId) => {
      const members = groupMembers.get(groupId);
      return members === undefined ? undefined : { has: (userId) => sortedIncludes(members, userId) };
    },
  };
  // Groups with members read, in the order of live.groups, for userGroups.
  const readGroups = live.groups.filter((g) => g.memberIds !== undefined).map((g) => lower(g.id));
  const groupsOfUser = new Map<string, ReadonlySet<string>>();
  const userGroups: Lookup<string, ReadonlySet<string>> = {
    get: (userId) => {
      const known = groupsOfUser.get(userId);
      if (known !== undefined) return known;
      const user = users.get(userId);
      const set = new Set<string>();
      for (const state of user?.licenseAssignmentStates ?? [])
        if (state.assignedByGroup !== null) set.add(lower(state.assignedByGroup));
      for (const groupId of readGroups)
        if (sortedIncludes(groupMembers.get(groupId)!, userId)) set.add(groupId);
      // Unread groups count their inheritors as members; those came in with the states above.
      const result = set.size > 0 ? set : undefined;
      if (result !== undefined) groupsOfUser.set(userId, result);
      return result;
    },
  };
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

/** Whether a list sorted by code units (Array.prototype.sort's order) holds `value`. */
function sortedIncludes(sorted: readonly string[], value: string): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = sorted[middle]!;
    if (at === value) return true;
    if (at < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
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
