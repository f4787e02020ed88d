import {
  compareText,
  heldSkusOfUser,
  licensesOfGroup,
  skusHeldThroughGroup,
  type LiveIndex,
} from "./live-index.js";

/**
 * Which SKUs each affected user holds before and after the plan, by any path
 * (direct or through a group). A user holding a SKU by two paths consumes one
 * seat, so seats, removals and guards are all computed from these sets.
 */
export interface Holdings {
  /** Users whose direct licenses change or who are members of a group whose licenses change, sorted. */
  readonly affectedUsers: readonly string[];
  before(userId: string): ReadonlySet<string>;
  after(userId: string): ReadonlySet<string>;
  /** skuId -> users who hold it after the plan and not before. */
  readonly gained: ReadonlyMap<string, ReadonlySet<string>>;
  /** skuId -> users who hold it before the plan and not after. */
  readonly lost: ReadonlyMap<string, ReadonlySet<string>>;
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * @param directAfter user id -> SKUs held directly after the plan, for users whose direct licenses change
 * @param groupAfter group id -> SKUs the group holds after the plan, for groups whose licenses change
 */
export function computeHoldings(
  index: LiveIndex,
  directAfter: ReadonlyMap<string, ReadonlySet<string>>,
  groupAfter: ReadonlyMap<string, ReadonlySet<string>>,
): Holdings {
  const affected = new Set<string>(directAfter.keys());
  for (const groupId of groupAfter.keys())
    for (const member of index.groupMembers.get(groupId) ?? []) affected.add(member);

  const groupBefore = new Map<string, ReadonlySet<string>>();
  const groupSkus = (groupId: string): ReadonlySet<string> => {
    let skus = groupBefore.get(groupId);
    if (!skus) {
      const group = index.groups.get(groupId);
      skus = group ? new Set(licensesOfGroup(group).keys()) : EMPTY;
      groupBefore.set(groupId, skus);
    }
    return skus;
  };

  const before = new Map<string, ReadonlySet<string>>();
  const after = new Map<string, ReadonlySet<string>>();
  const gained = new Map<string, Set<string>>();
  const lost = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, skuId: string, userId: string) => {
    let set = map.get(skuId);
    if (!set) map.set(skuId, (set = new Set()));
    set.add(userId);
  };

  for (const userId of affected) {
    const user = index.users.get(userId);
    if (!user) continue;
    const held = heldSkusOfUser(user);
    const directBefore = new Set(index.directOf(userId).keys());
    const directNow = directAfter.get(userId) ?? directBefore;
    const pathsBefore = new Set<string>(directBefore);
    const pathsAfter = new Set<string>(directNow);
    const beforeSet = new Set([...held, ...directBefore]);
    const afterSet = new Set(beforeSet);
    for (const sku of directNow) afterSet.add(sku);
    for (const groupId of index.userGroups.get(userId) ?? []) {
      const listed = groupSkus(groupId);
      // Only states in effect count: a member in Error holds nothing through the group.
      const was = skusHeldThroughGroup(user, groupId) ?? listed;
      const changed = groupAfter.get(groupId);
      // A SKU the group keeps stays as it is for the member (an error persists
      // until reprocessed); a SKU the group gains comes with its processing,
      // which apply checks per member before relying on it.
      const will = changed ? new Set([...changed].filter((sku) => was.has(sku) || !listed.has(sku))) : was;
      for (const sku of was) pathsBefore.add(sku);
      for (const sku of will) {
        pathsAfter.add(sku);
        if (!was.has(sku)) afterSet.add(sku);
      }
    }
    // Only a change can take a SKU away: one held by a path the live state
    // does not explain (a group that was not read) stays.
    for (const sku of beforeSet) if (pathsBefore.has(sku) && !pathsAfter.has(sku)) afterSet.delete(sku);
    before.set(userId, beforeSet);
    after.set(userId, afterSet);
    for (const sku of afterSet) if (!beforeSet.has(sku)) note(gained, sku, userId);
    for (const sku of beforeSet) if (!afterSet.has(sku)) note(lost, sku, userId);
  }
  return {
    affectedUsers: [...affected].sort(compareText),
    before: (id) => before.get(id) ?? currentHoldings(index, id),
    after: (id) => after.get(id) ?? currentHoldings(index, id),
    gained,
    lost,
  };
}

function currentHoldings(index: LiveIndex, userId: string): ReadonlySet<string> {
  const user = index.users.get(userId);
  return user ? heldSkusOfUser(user) : EMPTY;
}
