import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsonpatch from "fast-json-patch";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { adoptManifests } from "../../src/adopt/adopt-manifests.js";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { Catalog } from "../../src/catalog/catalog.js";
import type { AdoptionResult, AdoptSelection } from "../../src/model/adopt.js";
import type { LiveState } from "../../src/model/live-state.js";
import { driftForAdoption } from "../../src/workflow/adopt.js";
import { loadDesiredState } from "../../src/workflow/prepare-plan.js";
import { tenant, type TenantBuilder } from "../plan/builders.js";

const root = mkdtempSync(join(tmpdir(), "licensectl-adopt-unit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

function contoso(): TenantBuilder {
  return tenant()
    .sku("ENTERPRISEPACK", { plans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY"] })
    .sku("SPE_E5", { plans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "YAMMER_ENTERPRISE"] });
}

const head = (t: TenantBuilder, extra = "") => `apiVersion: licensectl/v1
tenant:
  id: ${t.id}
  defaultUsageLocation: US
scope:
  skus: [ENTERPRISEPACK, SPE_E5]
  mode: authoritative
${extra}`;

/** Adopts the drift of `live` into a one-file manifest set. */
async function adopt(
  text: string,
  live: LiveState,
  options: { only?: AdoptSelection[]; principalIds?: string[] } = {},
): Promise<{ result: AdoptionResult; after: string }> {
  const dir = join(root, `case-${count++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "licenses.yaml"), text);
  const { desired } = await loadDesiredState(["licenses.yaml"], dir);
  const { drift, resolved } = driftForAdoption(desired, live, undefined);
  const result = adoptManifests({
    drift,
    resolved,
    live,
    catalog: Catalog.fromSubscribedSkus(live.skus, loadCatalog()),
    files: [{ path: "licenses.yaml", shown: "licenses.yaml", text }],
    options: {
      ...(options.only ? { only: new Set(options.only) } : {}),
      ...(options.principalIds ? { principalIds: new Set(options.principalIds) } : {}),
    },
  });
  return { result, after: result.files[0]?.after ?? text };
}

describe("adoptManifests", () => {
  it("gives an aliased list its own copy and leaves the anchor's owner as it was", async () => {
    const t = contoso()
      .user("a@contoso.com", { licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }] })
      .user("b@contoso.com", { licenses: [{ sku: "ENTERPRISEPACK" }] });
    const text = `${head(t)}users:
  - user: a@contoso.com
    licenses: &e3
      - sku: ENTERPRISEPACK
        disabledPlans: [SWAY] # no Sway
  - user: b@contoso.com
    licenses: *e3
`;
    const { result, after } = await adopt(text, t.live());
    expect(result.files[0]!.edits.map((e) => e.principal.name)).toEqual(["b@contoso.com"]);
    expect(after).toContain(`  - user: a@contoso.com
    licenses: &e3
      - sku: ENTERPRISEPACK
        disabledPlans: [SWAY] # no Sway
`);
    expect(after).toContain(`  - user: b@contoso.com
    licenses:
      - sku: ENTERPRISEPACK
`);
    expect(parse(after).users[1].licenses).toEqual([{ sku: "ENTERPRISEPACK" }]);
  });

  it("leaves an entry whose anchor other entries use, and says why", async () => {
    const t = contoso()
      .user("a@contoso.com", { licenses: [{ sku: "ENTERPRISEPACK" }] })
      .user("b@contoso.com", { licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }] });
    const text = `${head(t)}users:
  - user: a@contoso.com
    licenses: &e3
      - sku: ENTERPRISEPACK
        disabledPlans: [SWAY]
  - user: b@contoso.com
    licenses: *e3
`;
    const { result, after } = await adopt(text, t.live());
    expect(after).toBe(text);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        reason: "shared-anchor",
        anchor: "e3",
        principal: expect.objectContaining({ name: "a@contoso.com" }),
      }),
    ]);
  });

  it("never edits a protected user", async () => {
    const t = contoso().user("breakglass@contoso.com", { licenses: [{ sku: "SPE_E5" }] });
    const text = `${head(t, "protect:\n  users: [breakglass@contoso.com]\n")}users:
  - user: breakglass@contoso.com
    licenses:
      - sku: ENTERPRISEPACK
`;
    const { result, after } = await adopt(text, t.live());
    expect(after).toBe(text);
    expect(result.files).toEqual([]);
    expect(result.skipped.map((s) => [s.principal.name, s.reason])).toEqual([
      ["breakglass@contoso.com", "protected"],
    ]);
  });

  it("adopts only what --only and --principal select", async () => {
    const t = contoso()
      .user("a@contoso.com", { usageLocation: "GB", licenses: [{ sku: "SPE_E5" }] })
      .user("b@contoso.com", { usageLocation: "DE" });
    const text = `${head(t)}users:
  - user: a@contoso.com
    usageLocation: US
    licenses:
      - sku: ENTERPRISEPACK
  - user: b@contoso.com
    usageLocation: "US"
`;
    const locations = await adopt(text, t.live(), { only: ["usage-locations"] });
    expect(locations.after).toContain('  - user: b@contoso.com\n    usageLocation: "DE"\n');
    expect(locations.after).toContain("    usageLocation: GB\n    licenses:\n      - sku: ENTERPRISEPACK\n");
    expect(
      locations.result.skipped.filter((s) => s.reason === "not-selected").map((s) => s.principal.name),
    ).toEqual(["a@contoso.com"]);

    const one = await adopt(text, t.live(), { principalIds: [t.userId("b@contoso.com")] });
    expect(one.result.files[0]!.edits.map((e) => e.principal.name)).toEqual(["b@contoso.com"]);
    expect(one.after).toContain("      - sku: ENTERPRISEPACK\n");
  });

  it("keeps the comments of what it removes, and writes `users: []` when every entry goes", async () => {
    const t = contoso().user("a@contoso.com").user("b@contoso.com");
    const text = `${head(t)}users: # people
  - user: a@contoso.com # leaver
    licenses:
      - sku: ENTERPRISEPACK # was E3
  - user: b@contoso.com
    licenses: [{ sku: SPE_E5 }] # flow
`;
    const { result, after } = await adopt(text, t.live());
    expect(parse(after)).toMatchObject({ users: [] });
    for (const comment of ["# people", "# leaver", "# was E3", "# flow"]) expect(after).toContain(comment);
    expect(result.files[0]!.edits.map((e) => e.action)).toEqual(["remove-entry", "remove-entry"]);
  });

  it("edits an allow-list as an allow-list, and its operations turn the data before into the data after", async () => {
    const t = contoso()
      .user("a@contoso.com", { licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }] })
      .user("c@contoso.com", { licenses: [{ sku: "SPE_E5" }] });
    const text = `${head(t)}users:
  - user: a@contoso.com
    licenses:
      - sku: ENTERPRISEPACK
        enabledPlans:
          - EXCHANGE_S_ENTERPRISE # mail
          - TEAMS1
          - SWAY # to go
  - user: gone@contoso.com
`;
    const live = t.user("gone@contoso.com").live();
    const { result, after } = await adopt(text, live);
    expect(after).toContain(`        enabledPlans:
          - EXCHANGE_S_ENTERPRISE # mail
          - TEAMS1
`);
    expect(after).toContain("# to go");
    const file = result.files[0]!;
    const applied = jsonpatch.applyPatch(
      parse(file.before),
      file.operations as jsonpatch.Operation[],
    ).newDocument;
    expect(applied).toEqual(parse(file.after));
    expect(file.operations).toContainEqual({
      op: "add",
      path: "/users/-",
      value: { user: "c@contoso.com", licenses: [{ sku: "SPE_E5" }] },
    });
  });

  it("adds to a list that ends the file and starts a new section after it, in that order", async () => {
    const t = contoso()
      .user("a@contoso.com", { licenses: [{ sku: "SPE_E5" }] })
      .group("Sales", { licenses: [{ sku: "ENTERPRISEPACK" }] })
      .group("Empty");
    const text = `${head(t)}groups:
- group: Empty
  licenses: []
`;
    const { after } = await adopt(text, t.live());
    expect(after).toBe(`${text}- group: Sales
  licenses:
  - sku: ENTERPRISEPACK
users:
- user: a@contoso.com
  licenses:
  - sku: SPE_E5
`);
  });

  it("adds to a flow list of users in flow style, and leaves its entries, which it cannot edit alone", async () => {
    const t = contoso()
      .user("a@contoso.com", { licenses: [{ sku: "SPE_E5" }] })
      .user("b@contoso.com", { licenses: [{ sku: "SPE_E5" }] });
    const text = `${head(t)}users: [{ user: a@contoso.com, licenses: [{ sku: ENTERPRISEPACK }] }] # one line
`;
    const { result, after } = await adopt(text, t.live());
    expect(after).toBe(
      `${head(t)}users: [{ user: a@contoso.com, licenses: [{ sku: ENTERPRISEPACK }] }, {user: b@contoso.com, licenses: [{sku: SPE_E5}]}] # one line\n`,
    );
    expect(result.skipped.map((s) => [s.principal.name, s.reason])).toEqual([
      ["a@contoso.com", "unsupported-layout"],
    ]);
  });

  it("adopts a hand change larger than limits.maxRemovals: that guard protects the tenant, not the files", async () => {
    const t = contoso()
      .user("a@contoso.com", { licenses: [{ sku: "SPE_E5" }] })
      .user("b@contoso.com", {
        licenses: [{ sku: "SPE_E5" }],
      });
    const text = `${head(t, "limits:\n  maxRemovals: 0\n")}users:
  - user: a@contoso.com
    licenses:
      - sku: ENTERPRISEPACK
`;
    const { result, after } = await adopt(text, t.live());
    expect(result.files[0]!.edits.map((e) => [e.principal.name, e.action])).toEqual([
      ["a@contoso.com", "edit-entry"],
      ["b@contoso.com", "add-entry"],
    ]);
    expect(parse(after).users).toEqual([
      { user: "a@contoso.com", licenses: [{ sku: "SPE_E5" }] },
      { user: "b@contoso.com", licenses: [{ sku: "SPE_E5" }] },
    ]);
  });
});
