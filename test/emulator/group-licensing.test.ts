import { ResponseType } from "@microsoft/microsoft-graph-client";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import {
  E3,
  E5,
  EMS,
  SWAY,
  TENANT_ID,
  YAMMER,
  errorBody,
  graphClient,
  graphFailure,
  smallTenant,
} from "./helpers.js";

type State = {
  skuId: string;
  assignedByGroup: string | null;
  state: string;
  error: string;
  disabledPlans: string[];
};

describe("emulator: group-based licensing", () => {
  let emulator: RunningEmulator;
  let client: ReturnType<typeof graphClient>;
  const start = async (groupProcessingDelayMs: number) => {
    emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs });
    client = graphClient(emulator.url);
  };
  afterEach(() => emulator.stop());

  const groupId = async (name: string) =>
    (await client.api("/groups").filter(`displayName eq '${name}'`).get()).value[0].id as string;
  const statesOf = async (upn: string) =>
    (await client
      .api(`/users/${upn}`)
      .select("usageLocation,assignedLicenses,licenseAssignmentStates")
      .get()) as {
      usageLocation: string | null;
      assignedLicenses: { skuId: string; disabledPlans: string[] }[];
      licenseAssignmentStates: State[];
    };
  const processingState = async (id: string) =>
    (
      (await client.api(`/groups/${id}`).select("licenseProcessingState").get()).licenseProcessingState as {
        state: string;
      }
    ).state;
  const consumed = async (skuId: string) =>
    ((await client.api("/subscribedSkus").get()).value as { skuId: string; consumedUnits: number }[]).find(
      (s) => s.skuId === skuId,
    )!.consumedUnits;

  it("answers 202 with the group and a Location header, then processes in the background", async () => {
    await start(200);
    const id = await groupId("Engineering");
    const response = (await client
      .api(`/groups/${id}/assignLicense`)
      .responseType(ResponseType.RAW)
      .post({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] })) as Response;
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toBe(
      `${emulator.url}/v2/${TENANT_ID}/directoryObjects/${id}/Microsoft.DirectoryServices.Group`,
    );
    const body = (await response.json()) as { id: string; securityEnabled: boolean };
    expect(body).toMatchObject({ id, securityEnabled: true });
    const order = ["QueuedForProcessing", "ProcessingInProgress", "ProcessingComplete"];
    const seen = [await processingState(id)];
    expect(seen[0]).not.toBe("ProcessingComplete");
    while (seen.at(-1) !== "ProcessingComplete") {
      await new Promise((r) => setTimeout(r, 10));
      const state = await processingState(id);
      if (state !== seen.at(-1)) seen.push(state);
    }
    // The states only move forward.
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort());
    const isaiah = await statesOf("isaiah.langer@contoso.com");
    expect(isaiah.licenseAssignmentStates).toEqual([
      expect.objectContaining({ skuId: E3, assignedByGroup: id, state: "Active", error: "None" }),
    ]);
    expect(await consumed(E3)).toBe(4);
  });

  it("licenses members without a usage location through the tenant's country but never sets it", async () => {
    await start(0);
    const diego = await statesOf("diego.siciliani@contoso.com");
    expect(diego.usageLocation).toBeNull();
    expect(diego.assignedLicenses.map((l) => l.skuId)).toEqual([EMS]);
  });

  it("gives members beyond the seats a CountViolation in state Error, visible from the group", async () => {
    await start(0);
    const id = await groupId("Engineering");
    await client
      .api(`/groups/${id}/assignLicense`)
      .post({ addLicenses: [{ skuId: E5, disabledPlans: [] }], removeLicenses: [] });
    expect(await processingState(id)).toBe("ProcessingComplete");
    expect(await consumed(E5)).toBe(2);
    const errored = await client
      .api(`/groups/${id}/membersWithLicenseErrors`)
      .select("id,userPrincipalName")
      .get();
    expect(errored.value.map((u: { userPrincipalName: string }) => u.userPrincipalName)).toEqual([
      "isaiah.langer@contoso.com",
    ]);
    const isaiah = await statesOf("isaiah.langer@contoso.com");
    expect(isaiah.licenseAssignmentStates).toEqual([
      expect.objectContaining({ skuId: E5, assignedByGroup: id, state: "Error", error: "CountViolation" }),
    ]);
    expect(isaiah.assignedLicenses).toEqual([]);
    const flagged = await client
      .api("/groups")
      .filter("hasMembersWithLicenseErrors eq true")
      .select("id")
      .get();
    expect(flagged.value.map((g: { id: string }) => g.id)).toEqual([id]);
  });

  it("removing a group's license removes the inherited states and frees seats of users with no other path", async () => {
    await start(0);
    const sales = await groupId("Sales");
    await client
      .api("/users/adele.vance@contoso.com/assignLicense")
      .post({ addLicenses: [{ skuId: EMS, disabledPlans: [] }], removeLicenses: [] });
    expect(await consumed(EMS)).toBe(2);
    const response = await client
      .api(`/groups/${sales}/assignLicense`)
      .post({ addLicenses: [], removeLicenses: [EMS] });
    expect(response.id).toBe(sales);
    expect(await consumed(EMS)).toBe(1);
    expect((await statesOf("diego.siciliani@contoso.com")).licenseAssignmentStates).toEqual([]);
    expect(
      (await statesOf("adele.vance@contoso.com")).licenseAssignmentStates.filter((s) => s.skuId === EMS),
    ).toEqual([expect.objectContaining({ assignedByGroup: null, state: "Active" })]);
  });

  it("merges direct and group paths: one assignedLicenses entry, disabled plans disabled by every source", async () => {
    await start(0);
    const sales = await groupId("Sales");
    await client
      .api(`/groups/${sales}/assignLicense`)
      .post({ addLicenses: [{ skuId: E3, disabledPlans: [SWAY, YAMMER] }], removeLicenses: [] });
    const adele = await statesOf("adele.vance@contoso.com");
    expect(adele.assignedLicenses.filter((l) => l.skuId === E3)).toEqual([
      { skuId: E3, disabledPlans: [SWAY] },
    ]);
    expect(adele.licenseAssignmentStates.filter((s) => s.skuId === E3).map((s) => s.assignedByGroup)).toEqual(
      [null, sales],
    );
    expect(await consumed(E3)).toBe(2);
  });

  it("reprocessing a member after a seat is freed clears its CountViolation", async () => {
    await start(0);
    const id = await groupId("Engineering");
    await client
      .api("/users/alex.wilber@contoso.com/assignLicense")
      .post({ addLicenses: [{ skuId: E5, disabledPlans: [] }], removeLicenses: [] });
    await client
      .api(`/groups/${id}/assignLicense`)
      .post({ addLicenses: [{ skuId: E5, disabledPlans: [] }], removeLicenses: [] });
    expect((await statesOf("henrietta.mueller@contoso.com")).licenseAssignmentStates[0]!.error).toBe(
      "CountViolation",
    );
    expect((await statesOf("isaiah.langer@contoso.com")).licenseAssignmentStates[0]!.error).toBe(
      "CountViolation",
    );
    await client
      .api("/users/alex.wilber@contoso.com/assignLicense")
      .post({ addLicenses: [], removeLicenses: [E5] });
    // Freeing a seat does not by itself fix members in error; reprocessing does.
    expect((await statesOf("isaiah.langer@contoso.com")).licenseAssignmentStates[0]!.state).toBe("Error");
    await client.api("/users/isaiah.langer@contoso.com/reprocessLicenseAssignment").post({});
    expect((await statesOf("isaiah.langer@contoso.com")).licenseAssignmentStates[0]).toMatchObject({
      state: "Active",
      error: "None",
    });
    expect((await statesOf("henrietta.mueller@contoso.com")).licenseAssignmentStates[0]!.error).toBe(
      "CountViolation",
    );
    expect(await consumed(E5)).toBe(2);
  });

  it("refuses unknown SKUs and unknown groups synchronously", async () => {
    await start(0);
    const id = await groupId("Sales");
    const unknown = await graphFailure(() =>
      client
        .api(`/groups/${id}/assignLicense`)
        .post({ addLicenses: [{ skuId: "11111111-2222-3333-4444-555555555555" }], removeLicenses: [] }),
    );
    expect(errorBody(unknown).error.message).toBe(
      "License 11111111-2222-3333-4444-555555555555 does not correspond to a valid company License.",
    );
    const missing = await graphFailure(() =>
      client
        .api("/groups/00000000-0000-0000-0000-000000000009/assignLicense")
        .post({ addLicenses: [], removeLicenses: [] }),
    );
    expect(missing.statusCode).toBe(404);
  });
});
