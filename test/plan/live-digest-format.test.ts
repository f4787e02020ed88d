import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LiveState, LiveUser } from "../../src/model/live-state.js";
import { compareText } from "../../src/plan/live-index.js";
import { digestLiveState } from "../../src/plan/live-digest.js";
import { digestOf } from "../../src/util/digest.js";

/**
 * The digest as first defined: stable JSON of one object holding the whole
 * state. Plan files carry it, so the streamed implementation must give the
 * same value for every state.
 */
function referenceDigest(live: LiveState): string {
  const lower = (s: string) => s.toLowerCase();
  const sortedLower = (list: readonly string[]) => list.map(lower).sort(compareText);
  const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      compareText(key(a), key(b));
  return digestOf({
    tenant: lower(live.tenant.id),
    skus: live.skus
      .map((sku) => ({
        skuId: lower(sku.skuId),
        skuPartNumber: sku.skuPartNumber,
        appliesTo: sku.appliesTo,
        capabilityStatus: sku.capabilityStatus,
        prepaidUnits: sku.prepaidUnits,
        plans: sku.servicePlans
          .map((p) => `${lower(p.servicePlanId)}=${p.servicePlanName}`)
          .sort(compareText),
      }))
      .sort(byKey((s) => s.skuId)),
    users: live.users
      .map((user) => ({
        id: lower(user.id),
        upn: user.userPrincipalName,
        usageLocation: user.usageLocation,
        licenses: user.licenseAssignmentStates
          .map((s) => ({
            skuId: lower(s.skuId),
            disabledPlans: sortedLower(s.disabledPlans),
            assignedByGroup: s.assignedByGroup === null ? null : lower(s.assignedByGroup),
          }))
          .sort(byKey((s) => `${s.skuId}/${s.assignedByGroup ?? ""}`)),
        assigned:
          user.licenseAssignmentStates.length === 0
            ? user.assignedLicenses
                .map((l) => ({ skuId: lower(l.skuId), disabledPlans: sortedLower(l.disabledPlans) }))
                .sort(byKey((l) => l.skuId))
            : undefined,
      }))
      .sort(byKey((u) => u.id)),
    groups: live.groups
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
      .sort(byKey((g) => g.id)),
  });
}

const id = fc.constantFrom(
  "aB",
  "ab",
  "C0",
  "d-1",
  "E\u00e9",
  'f"q',
  "x\\y",
  "1",
  "Z",
  "c\u0001",
  "\ud800s",
  "t\u2028",
);
const ids = fc.array(id, { maxLength: 4 });
const license = fc.record({ skuId: id, disabledPlans: ids });
const state = fc.record({
  skuId: id,
  disabledPlans: ids,
  assignedByGroup: fc.option(id, { nil: null }),
  state: fc.constant("Active"),
  error: fc.option(fc.constant("None"), { nil: null }),
});
const user: fc.Arbitrary<LiveUser> = fc.record({
  id,
  userPrincipalName: fc.string({ maxLength: 6, unit: "grapheme" }),
  displayName: fc.option(fc.string({ maxLength: 4 }), { nil: null }),
  usageLocation: fc.option(fc.constantFrom("US", "GB"), { nil: null }),
  accountEnabled: fc.option(fc.boolean(), { nil: null }),
  assignedLicenses: fc.array(license, { maxLength: 3 }),
  licenseAssignmentStates: fc.array(state, { maxLength: 3 }),
});
const live: fc.Arbitrary<LiveState> = fc.record({
  tenant: fc.record({ id, displayName: fc.string(), countryLetterCode: fc.constant("US") }),
  skus: fc.array(
    fc.record({
      skuId: id,
      skuPartNumber: fc.string({ maxLength: 5 }),
      appliesTo: fc.constantFrom("User", "Company"),
      capabilityStatus: fc.constant("Enabled"),
      consumedUnits: fc.nat(),
      prepaidUnits: fc.record({
        enabled: fc.nat(),
        suspended: fc.nat(),
        warning: fc.nat(),
        lockedOut: fc.nat(),
      }),
      servicePlans: fc.array(
        fc.record({
          servicePlanId: id,
          servicePlanName: fc.string({ maxLength: 4 }),
          provisioningStatus: fc.constant("Success"),
          appliesTo: fc.constant("User"),
        }),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
  users: fc.array(user, { maxLength: 1200 }),
  groups: fc.array(
    fc.record(
      {
        id,
        displayName: fc.string({ maxLength: 5 }),
        mailNickname: fc.option(fc.string({ maxLength: 3 }), { nil: null }),
        securityEnabled: fc.option(fc.boolean(), { nil: null }),
        assignedLicenses: fc.array(license, { maxLength: 2 }),
        licenseProcessingState: fc.constant(null),
        memberIds: ids,
      },
      {
        requiredKeys: [
          "id",
          "displayName",
          "mailNickname",
          "securityEnabled",
          "assignedLicenses",
          "licenseProcessingState",
        ],
      },
    ),
    { maxLength: 3 },
  ),
});

describe("digestLiveState", () => {
  it("gives the same value as the stable JSON of the whole state, for any state", () => {
    fc.assert(
      fc.property(live, (l) => {
        expect(digestLiveState(l)).toBe(referenceDigest(l));
      }),
      { numRuns: 150 },
    );
  });

  it("gives the same value across the chunks a large tenant is hashed in", () => {
    const base = fc.sample(live, { numRuns: 1, seed: 1 })[0]!;
    const users = fc.sample(user, { numRuns: 1500, seed: 2 });
    expect(digestLiveState({ ...base, users })).toBe(referenceDigest({ ...base, users }));
  });

  it("changes when one user's license changes", () => {
    const base = fc.sample(live, { numRuns: 1, seed: 3 })[0]!;
    const users: LiveUser[] = [
      ...base.users,
      {
        id: "u",
        userPrincipalName: "u@x",
        displayName: null,
        usageLocation: "US",
        accountEnabled: true,
        assignedLicenses: [],
        licenseAssignmentStates: [],
      },
    ];
    const before = digestLiveState({ ...base, users });
    users[users.length - 1] = {
      ...users[users.length - 1]!,
      assignedLicenses: [{ skuId: "s", disabledPlans: [] }],
    };
    expect(digestLiveState({ ...base, users })).not.toBe(before);
  });
});
