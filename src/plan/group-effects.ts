import type { Holdings } from "./holdings.js";
import type { LiveIndex } from "./live-index.js";

/**
 * How group license changes reach the groups' direct user members (Entra
 * licenses no nested members). Counts come from the holdings, so a member who
 * keeps a SKU by another path is not counted as losing it.
 */
export function memberEffects(
  groupId: string,
  added: readonly string[],
  removed: readonly string[],
  index: LiveIndex,
  holdings: Holdings,
): { readonly gaining: number; readonly losing: number } {
  let gaining = 0;
  let losing = 0;
  for (const member of index.groupMembers.get(groupId) ?? []) {
    const before = holdings.before(member);
    const after = holdings.after(member);
    if (added.some((sku) => !before.has(sku) && after.has(sku))) gaining++;
    if (removed.some((sku) => before.has(sku) && !after.has(sku))) losing++;
  }
  return { gaining, losing };
}

/**
 * The groups gaining `skuId` in this plan that `userId` is a direct member of.
 * A direct assignment they cover is handed over instead of removed at once.
 */
export function coveringGroups(
  gainingGroups: ReadonlyMap<string, readonly string[]>,
  userId: string,
  skuId: string,
  index: LiveIndex,
): string[] {
  return (gainingGroups.get(skuId) ?? []).filter((groupId) =>
    index.groupMemberSets.get(groupId)?.has(userId),
  );
}
