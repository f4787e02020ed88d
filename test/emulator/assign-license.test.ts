/* eslint-disable @typescript-eslint/no-explicit-any -- Graph answers are untyped JSON; the assertions check their shape. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import {
  E3,
  E5,
  EMS,
  EXO1,
  SHAREPOINTENTERPRISE,
  SHAREPOINTWAC,
  STORAGE,
  SWAY,
  YAMMER,
  errorBody,
  graphClient,
  graphFailure,
  smallTenant,
} from "./helpers.js";

describe("emulator: POST /users/{id}/assignLicense", () => {
  let emulator: RunningEmulator;
  let client: ReturnType<typeof graphClient>;
  beforeEach(async () => {
    emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs: 0 });
    client = graphClient(emulator.url);
  });
  afterEach(() => emulator.stop());

  const assign = (user: string, body: unknown) => client.api(`/users/${user}/assignLicense`).post(body);
  const failure = async (user: string, body: unknown) => {
    const error = await graphFailure(() => assign(user, body));
    return { status: error.statusCode, ...errorBody(error).error };
  };
  const states = async (user: string) =>
    (await client.api(`/users/${user}`).select("assignedLicenses,licenseAssignmentStates").get()) as {
      assignedLicenses: { skuId: string; disabledPlans: string[] }[];
      licenseAssignmentStates: {
        skuId: string;
        assignedByGroup: string | null;
        state: string;
        error: string;
        disabledPlans: string[];
      }[];
    };
  const consumed = async (skuId: string) =>
    ((await client.api("/subscribedSkus").get()).value as { skuId: string; consumedUnits: number }[]).find(
      (s) => s.skuId === skuId,
    )!.consumedUnits;

  it("answers 200 with the user's default projection and takes a seat", async () => {
    const user = await assign("grady.archie@contoso.com", {
      addLicenses: [{ skuId: E5, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(user).toMatchObject({
      userPrincipalName: "grady.archie@contoso.com",
      businessPhones: [],
      jobTitle: null,
    });
    expect(user.assignedLicenses).toBeUndefined();
    expect(await consumed(E5)).toBe(1);
    const after = await states("grady.archie@contoso.com");
    expect(after.licenseAssignmentStates).toEqual([
      expect.objectContaining({
        skuId: E5,
        assignedByGroup: null,
        state: "Active",
        error: "None",
        disabledPlans: [],
      }),
    ]);
  });

  it("requires both addLicenses and removeLicenses", async () => {
    expect(await failure("grady.archie@contoso.com", { removeLicenses: [] })).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      message:
        "One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: addLicenses.",
    });
    expect((await failure("grady.archie@contoso.com", { addLicenses: [] })).message).toMatch(
      /The missing parameters are: removeLicenses\.$/,
    );
  });

  it("refuses a SKU the tenant does not have, and a malformed GUID", async () => {
    const unknown = "11111111-2222-3333-4444-555555555555";
    expect(
      await failure("grady.archie@contoso.com", {
        addLicenses: [{ skuId: unknown.toUpperCase() }],
        removeLicenses: [],
      }),
    ).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      message: `License ${unknown} does not correspond to a valid company License.`,
    });
    expect(
      await failure("grady.archie@contoso.com", {
        addLicenses: [{ skuId: "not-a-guid" }],
        removeLicenses: [],
      }),
    ).toMatchObject({
      status: 400,
      message:
        "Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details.",
    });
  });

  it("refuses a user without a usage location", async () => {
    expect(
      await failure("diego.siciliani@contoso.com", {
        addLicenses: [{ skuId: E3, disabledPlans: [] }],
        removeLicenses: [],
      }),
    ).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      message: "License assignment cannot be done for user with invalid usage location.",
    });
  });

  it("fails the whole call when a SKU has no seat left, changing nothing", async () => {
    await assign("grady.archie@contoso.com", {
      addLicenses: [{ skuId: E5, disabledPlans: [] }],
      removeLicenses: [],
    });
    await assign("henrietta.mueller@contoso.com", {
      addLicenses: [{ skuId: E5, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(
      await failure("isaiah.langer@contoso.com", {
        addLicenses: [
          { skuId: E3, disabledPlans: [] },
          { skuId: E5, disabledPlans: [] },
        ],
        removeLicenses: [],
      }),
    ).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      message: `Subscription with SKU ${E5} does not have any available licenses.`,
    });
    expect((await states("isaiah.langer@contoso.com")).assignedLicenses).toEqual([]);
    expect(await consumed(E3)).toBe(1);
  });

  it("swaps SKUs atomically in one call, reusing the seat freed by the removal", async () => {
    await assign("grady.archie@contoso.com", {
      addLicenses: [{ skuId: E5, disabledPlans: [] }],
      removeLicenses: [],
    });
    await assign("henrietta.mueller@contoso.com", {
      addLicenses: [{ skuId: E3, disabledPlans: [] }],
      removeLicenses: [],
    });
    await assign("isaiah.langer@contoso.com", {
      addLicenses: [{ skuId: E5, disabledPlans: [] }],
      removeLicenses: [],
    });
    // E5 is full; henrietta cannot get it, but grady can trade his E5 for E3 and free one.
    await assign("grady.archie@contoso.com", {
      addLicenses: [{ skuId: E3, disabledPlans: [] }],
      removeLicenses: [E5],
    });
    expect(await consumed(E5)).toBe(1);
    expect((await states("grady.archie@contoso.com")).assignedLicenses.map((l) => l.skuId)).toEqual([E3]);
  });

  it("replaces the disabled plans of a SKU the user already has", async () => {
    await assign("adele.vance@contoso.com", {
      addLicenses: [{ skuId: E3, disabledPlans: [YAMMER] }],
      removeLicenses: [],
    });
    const after = await states("adele.vance@contoso.com");
    expect(after.assignedLicenses.find((l) => l.skuId === E3)!.disabledPlans).toEqual([YAMMER]);
    expect(await consumed(E3)).toBe(1);
  });

  it("refuses to remove a license the user does not have", async () => {
    expect(
      await failure("grady.archie@contoso.com", { addLicenses: [], removeLicenses: [E3] }),
    ).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      message: "User does not have a corresponding license.",
    });
  });

  it("refuses to remove a group-inherited license directly", async () => {
    expect(
      await failure("adele.vance@contoso.com", { addLicenses: [], removeLicenses: [EMS] }),
    ).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      message:
        "User license is inherited from a group membership and it cannot be removed directly from the user.",
    });
  });

  it("enforces the fixture's dependency rules", async () => {
    expect(
      await failure("adele.vance@contoso.com", {
        addLicenses: [{ skuId: E3, disabledPlans: [SWAY, SHAREPOINTENTERPRISE] }],
        removeLicenses: [],
      }),
    ).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      message: `License assignment failed because service plan ${SHAREPOINTWAC} depends on the service plan(s) ${SHAREPOINTENTERPRISE}`,
    });
  });

  it("enforces the fixture's mutual exclusions", async () => {
    const result = await failure("adele.vance@contoso.com", {
      addLicenses: [{ skuId: EXO1, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(result).toMatchObject({ status: 400, code: "Request_BadRequest" });
    expect(result.message).toBe(
      "License assignment failed because service plans 9aaf7827-d63c-4b61-89c3-182f06f82e5c, efb87545-963c-4e0d-99df-69c6916d9eb0 are mutually exclusive.",
    );
  });

  it("refuses a disabled plan that is not in the SKU", async () => {
    const result = await failure("grady.archie@contoso.com", {
      addLicenses: [{ skuId: EMS, disabledPlans: [SWAY] }],
      removeLicenses: [],
    });
    expect(result).toMatchObject({ status: 400, code: "Request_BadRequest" });
    expect(result.message).toContain(SWAY);
  });

  it("refuses a Company-only SKU for a user", async () => {
    expect(
      await failure("grady.archie@contoso.com", {
        addLicenses: [{ skuId: STORAGE, disabledPlans: [] }],
        removeLicenses: [],
      }),
    ).toMatchObject({
      status: 400,
      message: `License ${STORAGE} cannot be assigned to a user.`,
    });
  });

  it("answers 404 for an unknown user", async () => {
    expect(await failure("nobody@contoso.com", { addLicenses: [], removeLicenses: [] })).toMatchObject({
      status: 404,
      code: "Request_ResourceNotFound",
    });
  });

  it("counts attempted and applied writes", async () => {
    emulator.resetCounters();
    await assign("grady.archie@contoso.com", {
      addLicenses: [{ skuId: E3, disabledPlans: [] }],
      removeLicenses: [],
    });
    await failure("grady.archie@contoso.com", { addLicenses: [], removeLicenses: [E5] });
    expect(emulator.counters).toMatchObject({ writesAttempted: 2, writesApplied: 1, requests: 2 });
    expect(emulator.counters.byRoute["POST /users/{id}/assignLicense"]).toBe(2);
  });
});

describe("emulator: PATCH /users/{id} and reprocessLicenseAssignment", () => {
  let emulator: RunningEmulator;
  let client: ReturnType<typeof graphClient>;
  beforeEach(async () => {
    emulator = await startEmulator({ tenant: smallTenant(), groupProcessingDelayMs: 0 });
    client = graphClient(emulator.url);
  });
  afterEach(() => emulator.stop());

  it("sets usageLocation with 204 and no body, after which a license can be assigned", async () => {
    const response = await fetch(`${emulator.url}/v1.0/users/diego.siciliani@contoso.com`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ usageLocation: "NL" }),
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    const diego = await client.api("/users/diego.siciliani@contoso.com").select("usageLocation").get();
    expect(diego.usageLocation).toBe("NL");
    await client
      .api("/users/diego.siciliani@contoso.com/assignLicense")
      .post({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] });
  });

  it("refuses an invalid usage location code", async () => {
    const error = await graphFailure(() =>
      client.api("/users/diego.siciliani@contoso.com").patch({ usageLocation: "USA" }),
    );
    expect(error.statusCode).toBe(400);
    expect(errorBody(error).error.code).toBe("Request_BadRequest");
  });

  it("reprocesses a user's group licenses and answers 200 with the user", async () => {
    const user = await client.api("/users/adele.vance@contoso.com/reprocessLicenseAssignment").post({});
    expect(user.userPrincipalName).toBe("adele.vance@contoso.com");
    const after = await client.api("/users/adele.vance@contoso.com").select("licenseAssignmentStates").get();
    expect(
      after.licenseAssignmentStates.some(
        (s: any) => s.skuId === EMS && s.assignedByGroup && s.state === "Active",
      ),
    ).toBe(true);
  });
});
