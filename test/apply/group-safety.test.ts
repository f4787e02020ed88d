import { afterEach, describe, expect, it } from "vitest";
import type { TenantFixture } from "../../src/emulator/index.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startHarness, type CliHarness } from "../cli/cli-harness.js";
import { GroupScenario, heldParts, TENANT_ID } from "./group-scenario.js";
import { LAGGED } from "../support/consistency-lag.js";

/**
 * Group-based licensing end to end against the emulator, through the real
 * writer: nobody loses a license they keep in the end, not even for a moment.
 * Each test reproduces one way this used to go wrong.
 */

const TENANT = {
  id: TENANT_ID,
  displayName: "Contoso",
  countryLetterCode: "US",
  domains: ["contoso.onmicrosoft.com"],
};

const manifest = (body: string, skus = "[ENTERPRISEPACK, EMS, SPE_E5]") => `apiVersion: licensectl/v1
tenant:
  id: ${TENANT_ID}
scope:
  skus: ${skus}
  mode: authoritative
${body}`;

let scenario: GroupScenario | undefined;
let harness: CliHarness | undefined;
afterEach(async () => {
  await scenario?.stop();
  await harness?.close();
  scenario = undefined;
  harness = undefined;
});

describe("group-based licensing never takes a license away by mistake", () => {
  it("keeps a direct license when the group that should take it over ends in Error for the user", async () => {
    // Power BI Pro's BI_AZURE_P2 and EMS's INTUNE_A exclude each other here, so
    // Staff's assignment (E3 + EMS, all or none) fails for adele.
    const fixture: TenantFixture = {
      apiVersion: "licensectl.emulator/v1",
      kind: "Tenant",
      tenant: TENANT,
      skus: [
        { sku: "ENTERPRISEPACK", seats: 5 },
        { sku: "EMS", seats: 5 },
        { sku: "SPE_E5", seats: 5 },
        { sku: "POWER_BI_PRO", seats: 5 },
      ],
      users: [
        {
          upn: "adele@contoso.com",
          usageLocation: "US",
          licenses: [{ sku: "ENTERPRISEPACK" }, { sku: "POWER_BI_PRO" }],
        },
        { upn: "grady@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] },
      ],
      groups: [{ name: "Staff", members: ["adele@contoso.com", "grady@contoso.com"] }],
      rules: { mutuallyExclusive: [["INTUNE_A", "BI_AZURE_P2"]] },
    };
    scenario = await GroupScenario.start(
      fixture,
      manifest(`groups:
  - group: Staff
    licenses:
      - sku: ENTERPRISEPACK
      - sku: EMS
`),
    );
    const { plan } = await scenario.plan();
    expect(plan!.waves.map((w) => w.kind)).toEqual(["add-groups", "group-handover"]);
    scenario.emulator.resetCounters();
    const applied = await scenario.apply(plan!);

    // grady's handover went through: the group's copy was read Active for him.
    expect(heldParts(applied.after, "grady@contoso.com")).toEqual(["EMS", "ENTERPRISEPACK"]);
    // adele's did not: her copy from Staff is in Error, so her direct E3 stays.
    expect(heldParts(applied.after, "adele@contoso.com")).toEqual(["ENTERPRISEPACK", "POWER_BI_PRO"]);
    expect(applied.result.skipped).toHaveLength(1);
    expect(applied.result.skipped[0]).toMatchObject({
      principal: { name: "adele@contoso.com" },
      reason: { code: "group-copy-not-active" },
    });
    expect(applied.result.skipped[0]!.reason!.message).toBe(
      "ENTERPRISEPACK through group Staff is Error (MutuallyExclusiveViolation) for the user, not Active; the direct license stays",
    );
    expect(applied.gaps).toEqual([]);
    // The users' states were read in $batch requests: two reads of both users, never one request per user.
    expect(scenario.emulator.counters.byRoute["GET /users/{id}"]).toBe(4);
  });

  const tenantOf = (
    skus: TenantFixture["skus"],
    users: TenantFixture["users"],
    groups: TenantFixture["groups"] = [],
  ): TenantFixture => ({
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: TENANT,
    skus,
    users,
    groups,
  });

  it("moves a protected user from a group's license to a direct one without a moment unlicensed", async () => {
    scenario = await GroupScenario.start(
      tenantOf(
        [{ sku: "ENTERPRISEPACK", seats: 1 }],
        [{ upn: "breakglass@contoso.com", usageLocation: "US" }],
        [{ name: "Staff", members: ["breakglass@contoso.com"], licenses: [{ sku: "ENTERPRISEPACK" }] }],
      ),
      manifest(
        `protect:
  users: [breakglass@contoso.com]
users:
  - user: breakglass@contoso.com
    licenses: [{ sku: ENTERPRISEPACK }]
groups:
  - group: Staff
    licenses: []
`,
        "[ENTERPRISEPACK]",
      ),
    );
    const { plan } = await scenario.plan();
    const applied = await scenario.apply(plan!);
    expect(applied.result.failed).toEqual([]);
    expect(heldParts(applied.after, "breakglass@contoso.com")).toEqual(["ENTERPRISEPACK"]);
    expect(applied.gaps).toEqual([]);
    expect(applied.replan?.summary.changes).toBe(0);
  });

  it("moves a user from a direct E3 to a group's E5: E3 goes only after E5 arrived", async () => {
    scenario = await GroupScenario.start(
      tenantOf(
        [
          { sku: "ENTERPRISEPACK", seats: 5 },
          { sku: "SPE_E5", seats: 5 },
        ],
        [{ upn: "adele@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] }],
        [{ name: "Leaders", members: ["adele@contoso.com"] }],
      ),
      manifest(
        `groups:
  - group: Leaders
    licenses: [{ sku: SPE_E5 }]
`,
        "[ENTERPRISEPACK, SPE_E5]",
      ),
    );
    const { plan } = await scenario.plan();
    const applied = await scenario.apply(plan!);
    expect(applied.result.failed).toEqual([]);
    expect(heldParts(applied.after, "adele@contoso.com")).toEqual(["SPE_E5"]);
    const part = (id: string) => applied.after.skus.find((s) => s.skuId === id)?.skuPartNumber;
    expect(applied.events.map((e) => `${e.change} ${part(e.skuId)}`)).toEqual([
      "gained SPE_E5",
      "lost ENTERPRISEPACK",
    ]);
  });

  it("runs two swaps that need each other's seat one after the other, or refuses when no seat is free", async () => {
    const users: TenantFixture["users"] = [
      { upn: "adele@contoso.com", usageLocation: "US", licenses: [{ sku: "ENTERPRISEPACK" }] },
      { upn: "grady@contoso.com", usageLocation: "US", licenses: [{ sku: "SPE_E5" }] },
    ];
    const swap = manifest(
      `users:
  - user: adele@contoso.com
    licenses: [{ sku: SPE_E5 }]
  - user: grady@contoso.com
    licenses: [{ sku: ENTERPRISEPACK }]
`,
      "[ENTERPRISEPACK, SPE_E5]",
    );
    scenario = await GroupScenario.start(
      tenantOf(
        [
          { sku: "ENTERPRISEPACK", seats: 1 },
          { sku: "SPE_E5", seats: 1 },
        ],
        users,
      ),
      swap,
    );
    const refused = await scenario.plan();
    expect(refused.plan).toBeUndefined();
    expect(refused.errors.map((e) => e.code)).toEqual(["swap-needs-free-seat"]);
    await scenario.stop();

    scenario = await GroupScenario.start(
      tenantOf(
        [
          { sku: "ENTERPRISEPACK", seats: 1 },
          { sku: "SPE_E5", seats: 2 },
        ],
        users,
      ),
      swap,
    );
    const { plan } = await scenario.plan();
    const applied = await scenario.apply(plan!);
    expect(applied.result.failed).toEqual([]);
    expect(heldParts(applied.after, "adele@contoso.com")).toEqual(["SPE_E5"]);
    expect(heldParts(applied.after, "grady@contoso.com")).toEqual(["ENTERPRISEPACK"]);
    expect(applied.replan?.summary.changes).toBe(0);
  });

  it("apply exits 1 and does not say Converged when members end in Error because of it", async () => {
    // Both hold Exchange Online (Plan 1) directly, outside the manifests' scope; E3's Exchange
    // (Plan 2) excludes it, so the group's assignment fails for every member, as Entra does.
    const fixture: TenantFixture = {
      ...tenantOf(
        [
          { sku: "ENTERPRISEPACK", seats: 5 },
          { sku: "EXCHANGESTANDARD", seats: 5 },
        ],
        [
          { upn: "adele@contoso.com", usageLocation: "US", licenses: [{ sku: "EXCHANGESTANDARD" }] },
          { upn: "grady@contoso.com", usageLocation: "US", licenses: [{ sku: "EXCHANGESTANDARD" }] },
        ],
        [{ name: "Staff", members: ["adele@contoso.com", "grady@contoso.com"] }],
      ),
      rules: { mutuallyExclusive: [["EXCHANGE_S_STANDARD", "EXCHANGE_S_ENTERPRISE"]] },
    };
    harness = await startHarness({ tenant: fixture, groupProcessingDelayMs: 0, ...LAGGED });
    await writeFile(
      join(harness.dir, "licenses.yaml"),
      manifest(
        `groups:
  - group: Staff
    licenses:
      - sku: ENTERPRISEPACK
`,
        "[ENTERPRISEPACK]",
      ),
    );
    const text = await harness.run(["apply", "-m", "licenses.yaml", "--auto-approve"]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(
      /adele@contoso\.com\s+ENTERPRISEPACK\s+MutuallyExclusiveViolation\s+\(group Staff\)/,
    );
    expect(text.out).toMatch(
      /grady@contoso\.com\s+ENTERPRISEPACK\s+MutuallyExclusiveViolation\s+\(group Staff\)/,
    );
    expect(text.out).toMatch(/fix: .*ENTERPRISEPACK/);
    expect(text.err).not.toContain("Converged");
    expect(text.err).toContain(
      "Not converged: 0 changes remain; 2 group members hold a group license in error after this run (2 errors).",
    );

    // The errors persist until reprocessed; planning again shows them, and they are no longer this run's doing.
    const plan = await harness.run(["plan", "-m", "licenses.yaml"]);
    expect(plan.out).toContain("License assignments not in effect (2):");
    expect(plan.out).toMatch(/adele@contoso\.com\s+ENTERPRISEPACK\s+MutuallyExclusiveViolation/);
  });
});
