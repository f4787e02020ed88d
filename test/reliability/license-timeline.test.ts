import { afterEach, describe, expect, it } from "vitest";
import {
  continuityViolations,
  startEmulator,
  type RunningEmulator,
  type TenantFixture,
} from "../../src/emulator/index.js";
import { TENANT_ID, writerFor } from "../apply/emulator-setup.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const fixture: TenantFixture = {
  apiVersion: "licensectl.emulator/v1",
  kind: "Tenant",
  tenant: { id: TENANT_ID, displayName: "Contoso", countryLetterCode: "US", domains: ["contoso.com"] },
  skus: [
    { sku: "ENTERPRISEPACK", seats: 2 },
    { sku: "EMS", seats: 0 },
  ],
  users: [{ upn: "adele@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] }],
  groups: [{ name: "Staff", members: ["adele@contoso.com"], licenses: [{ sku: "ENTERPRISEPACK" }] }],
};

/** The emulator's record of license changes, and the group-licensing states it must model as Graph does. */
describe("emulator license timeline", () => {
  it("records every change of a user's held SKUs in order, and finds a moment without a kept license", async () => {
    emulator = await startEmulator({ tenant: fixture, port: 0, groupProcessingDelayMs: 0 });
    const before = emulator.snapshot();
    const adele = before.users[0]!;
    const e3 = before.skus.find((s) => s.skuPartNumber === "ENTERPRISEPACK")!.skuId;
    const staff = before.groups[0]!.id;
    expect(emulator.timeline()).toEqual([]); // loading the fixture is not recorded
    const writer = writerFor(emulator.url);
    const assign = (target: "user" | "group", id: string, add: string[], remove: string[]) =>
      writer.execute([
        {
          id: "1",
          kind: "assignLicense",
          target: { kind: target, id },
          body: { addLicenses: add.map((skuId) => ({ skuId, disabledPlans: [] })), removeLicenses: remove },
        },
      ]);

    // Direct E3 goes, but Staff still gives E3: no change of what adele holds.
    await assign("user", adele.id, [], [e3]);
    expect(emulator.timeline()).toEqual([]);
    // Staff's E3 goes too, then comes back directly: a moment without E3.
    await assign("group", staff, [], [e3]);
    await assign("user", adele.id, [e3], []);
    expect(emulator.timeline().map((e) => [e.seq, e.change])).toEqual([
      [1, "lost"],
      [2, "gained"],
    ]);
    expect(continuityViolations(before, emulator.snapshot(), emulator.timeline())).toEqual([
      `${adele.id} ${e3}`,
    ]);
    expect(emulator.timeline(1).map((e) => e.seq)).toEqual([2]);
  });

  it("keeps a license the member had (ActiveWithError) when a later processing fails, until reprocessed", async () => {
    emulator = await startEmulator({ tenant: fixture, port: 0, groupProcessingDelayMs: 0 });
    const before = emulator.snapshot();
    const ems = before.skus.find((s) => s.skuPartNumber === "EMS")!.skuId;
    const staff = before.groups[0]!.id;
    const writer = writerFor(emulator.url);
    // Staff gains EMS, which has no seat: all or none, so adele's assignment from Staff fails...
    await writer.execute([
      {
        id: "1",
        kind: "assignLicense",
        target: { kind: "group", id: staff },
        body: { addLicenses: [{ skuId: ems, disabledPlans: [] }], removeLicenses: [] },
      },
    ]);
    const states = emulator
      .snapshot()
      .users[0]!.licenseAssignmentStates.filter((s) => s.assignedByGroup === staff);
    // ... but the E3 she already had from it stays assigned, with the error; EMS is not given.
    expect(states.map((s) => [s.skuId === ems ? "EMS" : "E3", s.state, s.error]).sort()).toEqual([
      ["E3", "ActiveWithError", "CountViolation"],
      ["EMS", "Error", "CountViolation"],
    ]);
    expect(continuityViolations(before, emulator.snapshot(), emulator.timeline())).toEqual([]);
    expect(await writer.membersWithLicenseErrors(staff)).toHaveLength(2);
    // Read back through the writer as apply reads it.
    const [read] = await writer.userLicenseStates!([before.users[0]!.id]);
    expect(read!.states.filter((s) => s.state === "ActiveWithError")).toHaveLength(1);
  });
});
