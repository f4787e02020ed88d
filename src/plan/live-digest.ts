import { createHash, type Hash } from "node:crypto";
import type { LiveUser, LiveState } from "../model/live-state.js";
import { stableStringify } from "../util/digest.js";
import { compareText } from "./live-index.js";

const lower = (s: string) => s.toLowerCase();
const sortedLower = (list: readonly string[]) => list.map(lower).sort(compareText);
const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    compareText(key(a), key(b));

/** Users serialised per hash update: large enough to keep update calls few, small enough to stay out of the old generation. */
const USERS_PER_CHUNK = 512;

/** `"key":value,` as stableStringify writes an object member, or nothing when the value is undefined (it drops those). */
const member = (key: string, text: string | undefined): string =>
  text === undefined ? "" : `${JSON.stringify(key)}:${text}`;
const json = (value: string | null | undefined): string | undefined =>
  value === undefined ? undefined : JSON.stringify(value);
const stringList = (list: readonly string[]): string => `[${list.map((s) => JSON.stringify(s)).join(",")}]`;
const object = (members: readonly string[]): string => `{${members.filter((m) => m !== "").join(",")}}`;

/**
 * One user exactly as `stableStringify` writes the object
 * `{ id, upn, usageLocation, licenses, assigned }` (keys sorted), without
 * building that object: on 100,000-user tenants the generic walk dominated
 * the whole plan.
 */
function userText(user: LiveUser, id: string): string {
  const licenses = user.licenseAssignmentStates
    .map((s) => ({
      skuId: lower(s.skuId),
      disabledPlans: sortedLower(s.disabledPlans),
      assignedByGroup: s.assignedByGroup === null ? null : lower(s.assignedByGroup),
    }))
    .sort(byKey((s) => `${s.skuId}/${s.assignedByGroup ?? ""}`))
    .map((s) =>
      object([
        member("assignedByGroup", json(s.assignedByGroup)),
        member("disabledPlans", stringList(s.disabledPlans)),
        member("skuId", json(s.skuId)),
      ]),
    );
  // Only meaningful when licenseAssignmentStates could not be read.
  const assigned =
    user.licenseAssignmentStates.length === 0
      ? `[${user.assignedLicenses
          .map((l) => ({ skuId: lower(l.skuId), disabledPlans: sortedLower(l.disabledPlans) }))
          .sort(byKey((l) => l.skuId))
          .map((l) =>
            object([member("disabledPlans", stringList(l.disabledPlans)), member("skuId", json(l.skuId))]),
          )
          .join(",")}]`
      : undefined;
  return object([
    member("assigned", assigned),
    member("id", json(id)),
    member("licenses", `[${licenses.join(",")}]`),
    member("upn", json(user.userPrincipalName)),
    member("usageLocation", json(user.usageLocation)),
  ]);
}

function updateWithUsers(hash: Hash, users: readonly LiveUser[]): void {
  const keyed = users.map((user) => ({ id: lower(user.id), user })).sort(byKey((u) => u.id));
  for (let start = 0; start < keyed.length; start += USERS_PER_CHUNK) {
    const chunk = keyed.slice(start, start + USERS_PER_CHUNK).map((u) => userText(u.user, u.id));
    hash.update(`${start === 0 ? "" : ","}${chunk.join(",")}`);
  }
}

/**
 * The part of a LiveState a plan depends on, independent of array order, as a
 * digest. Apply recomputes it and refuses a plan whose tenant moved since.
 * Seat counts (consumedUnits) are left out on purpose: they move with every
 * license change anywhere in the tenant, and capacity is checked again at apply.
 *
 * The digest is sha256 over the stable JSON (keys sorted) of
 * `{ tenant, skus, users, groups }`; users are streamed into the hash so the
 * text of a large tenant is never held whole.
 */
export function digestLiveState(live: LiveState): string {
  const skus = live.skus
    .map((sku) => ({
      skuId: lower(sku.skuId),
      skuPartNumber: sku.skuPartNumber,
      appliesTo: sku.appliesTo,
      capabilityStatus: sku.capabilityStatus,
      prepaidUnits: sku.prepaidUnits,
      plans: sku.servicePlans.map((p) => `${lower(p.servicePlanId)}=${p.servicePlanName}`).sort(compareText),
    }))
    .sort(byKey((s) => s.skuId));
  const groups = live.groups
    .map((group) => ({
      id: lower(group.id),
      displayName: group.displayName,
      mailNickname: group.mailNickname,
      securityEnabled: group.securityEnabled,
      licenses: group.assignedLicenses
        .map((l) => ({ skuId: lower(l.skuId), disabledPlans: sortedLower(l.disabledPlans) }))
        .sort(byKey((l) => l.skuId)),
      memberIds: group.memberIds ? sortedLower(group.memberIds) : undefined,
    }))
    .sort(byKey((g) => g.id));
  // Top-level keys in sorted order: groups, skus, tenant, users.
  const hash = createHash("sha256");
  hash.update(`{"groups":${stableStringify(groups)},"skus":${stableStringify(skus)}`);
  hash.update(`,"tenant":${JSON.stringify(lower(live.tenant.id))},"users":[`);
  updateWithUsers(hash, live.users);
  hash.update("]}");
  return `sha256:${hash.digest("hex")}`;
}
