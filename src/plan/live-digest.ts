import { createHash, type Hash } from "node:crypto";
import type { LicenseAssignmentState, LiveState, LiveUser } from "../model/live-state.js";
import { stableStringify } from "../util/digest.js";
import { idOrder } from "./id-order.js";
import { compareText } from "./live-index.js";

const lower = (s: string) => s.toLowerCase();
const sortedLower = (list: readonly string[]) => list.map(lower).sort(compareText);
const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    compareText(key(a), key(b));

/** Users serialised per hash update: large enough to keep update calls few, small enough to stay out of the old generation. */
const USERS_PER_CHUNK = 512;

/** Strings JSON.stringify writes unchanged between quotes: no quote, backslash, control character or surrogate. */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
/** JSON.stringify for a string, without its cost for the ids and names that need no escaping. */
const quote = (text: string): string => (PLAIN.test(text) ? `"${text}"` : JSON.stringify(text));
const stringList = (list: readonly string[]): string => {
  let text = "[";
  for (let i = 0; i < list.length; i += 1) text += (i === 0 ? "" : ",") + quote(list[i]!);
  return `${text}]`;
};
const byLicenseKey = (a: { key: string }, b: { key: string }) => compareText(a.key, b.key);

function licenseEntry(state: LicenseAssignmentState) {
  const skuId = lower(state.skuId);
  const group = state.assignedByGroup === null ? null : lower(state.assignedByGroup);
  const plans = state.disabledPlans.length === 0 ? state.disabledPlans : sortedLower(state.disabledPlans);
  return { key: `${skuId}/${group ?? ""}`, skuId, group, plans };
}

/** Texts of license lists that readers share between users (frozen): written once per list, not per user. */
const sharedLicenseTexts = new WeakMap<readonly LicenseAssignmentState[], string>();

function licensesText(states: readonly LicenseAssignmentState[]): string {
  const shared = Object.isFrozen(states);
  if (shared) {
    const known = sharedLicenseTexts.get(states);
    if (known !== undefined) return known;
  }
  const licenses =
    states.length === 1 ? [licenseEntry(states[0]!)] : states.map(licenseEntry).sort(byLicenseKey);
  let text = "[";
  for (let i = 0; i < licenses.length; i += 1) {
    const l = licenses[i]!;
    text +=
      `${i === 0 ? "" : ","}{"assignedByGroup":${l.group === null ? "null" : quote(l.group)},` +
      `"disabledPlans":${stringList(l.plans)},"skuId":${quote(l.skuId)}}`;
  }
  text += "]";
  if (shared) sharedLicenseTexts.set(states, text);
  return text;
}

/**
 * One user exactly as `stableStringify` writes the object
 * `{ id, upn, usageLocation, licenses, assigned }`: keys sorted, members whose
 * value is undefined left out. Written by hand because, on 100,000-user
 * tenants, the generic walk over that object dominated the whole plan.
 */
function userText(user: LiveUser, id: string): string {
  const states = user.licenseAssignmentStates;
  let text = "{";
  if (states.length === 0) {
    // Only meaningful when licenseAssignmentStates could not be read.
    const assigned = user.assignedLicenses
      .map((l) => ({ key: lower(l.skuId), plans: sortedLower(l.disabledPlans) }))
      .sort(byLicenseKey);
    text += '"assigned":[';
    for (let i = 0; i < assigned.length; i += 1) {
      const l = assigned[i]!;
      text += `${i === 0 ? "" : ","}{"disabledPlans":${stringList(l.plans)},"skuId":${quote(l.key)}}`;
    }
    text += "],";
  }
  text += `"id":${quote(id)},"licenses":${licensesText(states)}`;
  if (user.userPrincipalName !== undefined) text += `,"upn":${quote(user.userPrincipalName)}`;
  if (user.usageLocation !== undefined)
    text += `,"usageLocation":${user.usageLocation === null ? "null" : quote(user.usageLocation)}`;
  return `${text}}`;
}

function updateWithUsers(hash: Hash, users: readonly LiveUser[]): void {
  // Users by lower-cased id; the rare repeated id keeps input order, as a stable sort does.
  const ids = users.map((user) => lower(user.id));
  let chunk: string[] = [];
  let first = true;
  const flush = (): void => {
    hash.update(`${first ? "" : ","}${chunk.join(",")}`);
    first = false;
    chunk = [];
  };
  for (const at of idOrder(ids)) {
    chunk.push(userText(users[at]!, ids[at]!));
    if (chunk.length >= USERS_PER_CHUNK) flush();
  }
  if (chunk.length > 0) flush();
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
