import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { resolveDesiredState } from "../../src/manifest/resolve-names.js";
import type { LiveState } from "../../src/model/live-state.js";
import { LicensectlError } from "../../src/model/errors.js";
import { planChanges } from "../../src/plan/index.js";
import { exportManifests } from "../../src/report/export/export-manifests.js";
import { renderPlanJson } from "../../src/report/plan/render-plan-json.js";
import { renderPlanMarkdown } from "../../src/report/plan/render-plan-markdown.js";
import { renderPlanText } from "../../src/report/plan/render-plan-text.js";
import { expectGolden } from "./golden.js";
import { GROUP_IDS, ID, SAMPLE_TENANT } from "./sample-tenant.js";

const catalog = loadCatalog();
const file = (result: ReturnType<typeof exportManifests>, path: string) =>
  result.files.find((f) => f.path === path)?.content;
const yamlOf = (result: ReturnType<typeof exportManifests>, path: string) =>
  parse(file(result, path) ?? "null") as Record<string, unknown>;

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes the export, loads it back like `licensectl plan` does and plans it against `target` (default: the same tenant). */
async function planOfExport(live: LiveState, skus?: string[], target: LiveState = live) {
  const result = exportManifests(live, catalog, skus ? { skus } : {});
  const dir = mkdtempSync(join(tmpdir(), "licensectl-export-"));
  dirs.push(dir);
  for (const f of result.files) writeFileSync(join(dir, f.path), f.content);
  const loaded = await loadManifests(["."], { cwd: dir });
  expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
  const tenantCatalog = Catalog.fromSubscribedSkus(live.skus, catalog);
  const resolved = resolveDesiredState(loaded.state!, tenantCatalog, {
    catalogIsTenant: true,
    reference: catalog,
  });
  expect(resolved.problems.filter((p) => p.severity === "error")).toEqual([]);
  const planned = planChanges(resolved.state!, target, { toolVersion: "0.0.0", now: new Date(0) });
  expect(planned.problems.filter((p) => p.severity === "error")).toEqual([]);
  return planned.plan!;
}

/** The sample tenant without the user whose disabled plan the SKU does not list. */
const cleanTenant: LiveState = {
  ...SAMPLE_TENANT,
  users: SAMPLE_TENANT.users.filter((u) => u.userPrincipalName !== "erin@contoso.com"),
};

describe("exportManifests", () => {
  it("writes tenant, groups and users files (golden)", () => {
    const result = exportManifests(SAMPLE_TENANT, catalog);
    expect(result.files.map((f) => f.path)).toEqual(["tenant.yaml", "groups.yaml", "users.yaml"]);
    for (const f of result.files) {
      expect(f.content.split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../schemas/manifest.schema.json",
      );
      expectGolden(`export/${f.path}.txt`, f.content);
    }
  });

  it("scopes every User SKU by part number, authoritative, with the tenant's country as default", () => {
    const tenant = yamlOf(exportManifests(SAMPLE_TENANT, catalog), "tenant.yaml");
    expect(tenant).toEqual({
      apiVersion: "licensectl/v1",
      tenant: { id: SAMPLE_TENANT.tenant.id, defaultUsageLocation: "US" },
      scope: {
        skus: ["AAD_PREMIUM_P2", "CONTOSO_CUSTOM", "ENTERPRISEPACK", "SPE_E5"],
        mode: "authoritative",
      },
    });
    expect(file(exportManifests(SAMPLE_TENANT, catalog), "tenant.yaml")).toContain(
      "- ENTERPRISEPACK # Office 365 E3",
    );
  });

  it("exports direct licenses only, with disabled plans by name", () => {
    const users = yamlOf(exportManifests(SAMPLE_TENANT, catalog), "users.yaml").users;
    expect(users).toEqual([
      {
        user: "alice@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "SPE_E5", disabledPlans: ["SWAY"] }],
      },
      {
        user: "carol@contoso.com",
        usageLocation: "FR",
        licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["TEAMS1"] }],
      },
      {
        user: "erin@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["11111111-2222-4333-8444-555555555555"] }],
      },
      {
        user: "zoe@contoso.com",
        usageLocation: "GB",
        licenses: [
          { sku: "AAD_PREMIUM_P2" },
          { sku: "ENTERPRISEPACK", disabledPlans: ["SWAY", "YAMMER_ENTERPRISE"] },
        ],
      },
    ]);
  });

  it("writes short plan lists on one line and long ones one per line", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      servicePlanId: `00000000-0000-4000-c000-${String(i).padStart(12, "0")}`,
      servicePlanName: `SERVICE_PLAN_NUMBER_${i}`,
      provisioningStatus: "Success",
      appliesTo: "User",
    }));
    const live: LiveState = {
      ...cleanTenant,
      skus: cleanTenant.skus.map((s) => (s.skuId === ID.P2 ? { ...s, servicePlans: many } : s)),
      users: [
        {
          ...cleanTenant.users[0]!,
          assignedLicenses: [{ skuId: ID.P2, disabledPlans: many.map((p) => p.servicePlanId) }],
          licenseAssignmentStates: [],
        },
      ],
    };
    const users = file(exportManifests(live, catalog, { skus: ["AAD_PREMIUM_P2"] }), "users.yaml")!;
    expect(users).toContain(
      "        disabledPlans:\n          - SERVICE_PLAN_NUMBER_0\n          - SERVICE_PLAN_NUMBER_1\n",
    );
    expect(file(exportManifests(cleanTenant, catalog), "users.yaml")).toContain(
      "disabledPlans: [SWAY, YAMMER_ENTERPRISE]",
    );
  });

  it("warns about a licensed user without a usage location, and leaves the field out", () => {
    const live: LiveState = {
      ...cleanTenant,
      users: cleanTenant.users.map((u) =>
        u.userPrincipalName === "carol@contoso.com" ? { ...u, usageLocation: null } : u,
      ),
    };
    const result = exportManifests(live, catalog);
    expect(result.problems.map((p) => p.code)).toEqual(["export-no-usage-location"]);
    const carol = (yamlOf(result, "users.yaml").users as { user: string }[]).find(
      (u) => u.user === "carol@contoso.com",
    );
    expect(carol).not.toHaveProperty("usageLocation");
  });

  it("warns about a disabled plan the tenant's SKU does not list", () => {
    const { problems } = exportManifests(SAMPLE_TENANT, catalog);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "export-unknown-plan", severity: "warning" });
    expect(problems[0]!.message).toContain("erin@contoso.com");
  });

  it("names groups by display name, or by id when two groups share it", () => {
    const result = exportManifests(SAMPLE_TENANT, catalog);
    expect(yamlOf(result, "groups.yaml").groups).toEqual([
      { group: "Sales", licenses: [{ sku: "ENTERPRISEPACK" }] },
      {
        group: GROUP_IDS.salesEmea,
        licenses: [{ sku: "SPE_E5", disabledPlans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1"] }],
      },
      { group: GROUP_IDS.salesTwin, licenses: [{ sku: "AAD_PREMIUM_P2" }] },
    ]);
    expect(file(result, "groups.yaml")).toContain(
      `- group: ${GROUP_IDS.salesEmea} # Sales EMEA (display name shared by 2 groups)`,
    );
  });

  it("exports only the SKUs asked for, by part number, id or product name", () => {
    const result = exportManifests(SAMPLE_TENANT, catalog, { skus: ["spe_e5", ID.P2.toUpperCase()] });
    expect((yamlOf(result, "tenant.yaml").scope as { skus: string[] }).skus).toEqual([
      "AAD_PREMIUM_P2",
      "SPE_E5",
    ]);
    const users = yamlOf(result, "users.yaml").users as { user: string }[];
    expect(users.map((u) => u.user)).toEqual(["alice@contoso.com", "zoe@contoso.com"]);
    const byProduct = exportManifests(SAMPLE_TENANT, catalog, { skus: ["Office 365 E3"] });
    expect(yamlOf(byProduct, "tenant.yaml").scope).toEqual({
      skus: ["ENTERPRISEPACK"],
      mode: "authoritative",
    });
  });

  it("leaves out groups.yaml and users.yaml when nobody holds the SKUs", () => {
    const result = exportManifests(SAMPLE_TENANT, catalog, { skus: ["CONTOSO_CUSTOM"] });
    expect(result.files.map((f) => f.path)).toEqual(["tenant.yaml"]);
  });

  it("refuses unknown SKUs with a suggestion", () => {
    const attempt = () => exportManifests(SAMPLE_TENANT, catalog, { skus: ["ENTERPRISEPAK"] });
    expect(attempt).toThrow(LicensectlError);
    expect(attempt).toThrow(/no SKU named ENTERPRISEPAK/);
    try {
      attempt();
    } catch (error) {
      expect((error as LicensectlError).hint).toContain("ENTERPRISEPACK");
    }
    expect(() => exportManifests(SAMPLE_TENANT, catalog, { skus: ["SPE_E3"] })).toThrow(
      /no subscription to SPE_E3/,
    );
  });

  it("keeps names with line breaks and YAML syntax inside their comment or string", () => {
    const odd: LiveState = {
      ...cleanTenant,
      tenant: { ...cleanTenant.tenant, displayName: "Contoso\napiVersion: evil" },
      groups: cleanTenant.groups.map((g) =>
        g.displayName === "Sales" ? { ...g, displayName: "Sales: #1 [EU]" } : g,
      ),
    };
    const result = exportManifests(odd, catalog);
    expect(yamlOf(result, "tenant.yaml").apiVersion).toBe("licensectl/v1");
    expect(file(result, "tenant.yaml")).toContain(
      "# Contoso apiVersion: evil: exported by licensectl export.",
    );
    expect((yamlOf(result, "groups.yaml").groups as { group: string }[]).map((g) => g.group)).toContain(
      "Sales: #1 [EU]",
    );
  });

  it("is deterministic: the order Graph returns things in does not matter", () => {
    const shuffled: LiveState = {
      ...SAMPLE_TENANT,
      skus: [...SAMPLE_TENANT.skus]
        .reverse()
        .map((s) => ({ ...s, servicePlans: [...s.servicePlans].reverse() })),
      users: [...SAMPLE_TENANT.users].reverse().map((u) => ({
        ...u,
        licenseAssignmentStates: [...u.licenseAssignmentStates]
          .reverse()
          .map((s) => ({ ...s, disabledPlans: [...s.disabledPlans].reverse() })),
      })),
      groups: [...SAMPLE_TENANT.groups].reverse(),
    };
    expect(exportManifests(shuffled, catalog)).toEqual(exportManifests(SAMPLE_TENANT, catalog));
  });

  it("writes files the manifest schema accepts", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readSchema()));
    for (const f of exportManifests(SAMPLE_TENANT, catalog).files) {
      expect(validate(parse(f.content)), `${f.path}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("round-trips: planning the export against the same tenant changes nothing", async () => {
    const plan = await planOfExport(cleanTenant);
    expect(plan.waves.flatMap((w) => w.changes)).toEqual([]);
  });

  it("round-trips only what it exports: a tenant that moved since gets changes", async () => {
    const moved: LiveState = {
      ...cleanTenant,
      users: cleanTenant.users.map((u) =>
        u.userPrincipalName === "zoe@contoso.com"
          ? {
              ...u,
              assignedLicenses: u.assignedLicenses.map((l) => ({ ...l, disabledPlans: [] })),
              licenseAssignmentStates: u.licenseAssignmentStates.map((s) => ({ ...s, disabledPlans: [] })),
            }
          : u,
      ),
    };
    const plan = await planOfExport(cleanTenant, undefined, moved);
    const changes = plan.waves.flatMap((w) => w.changes);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: "assignLicenses", target: { name: "zoe@contoso.com" } });
  });

  it("renders what the planner makes of a tenant that moved, within the plan schema", async () => {
    const moved: LiveState = {
      ...cleanTenant,
      users: cleanTenant.users.map((u) => {
        if (u.userPrincipalName === "alice@contoso.com") {
          const states = u.licenseAssignmentStates.filter((s) => s.assignedByGroup !== null);
          return {
            ...u,
            licenseAssignmentStates: states,
            assignedLicenses: states.map(({ skuId, disabledPlans }) => ({ skuId, disabledPlans })),
          };
        }
        if (u.userPrincipalName === "bob@contoso.com") {
          const extra = {
            skuId: ID.P2,
            disabledPlans: [],
            assignedByGroup: null,
            state: "Active",
            error: null,
          };
          return {
            ...u,
            licenseAssignmentStates: [...u.licenseAssignmentStates, extra],
            assignedLicenses: [...u.assignedLicenses, { skuId: ID.P2, disabledPlans: [] }],
          };
        }
        return u;
      }),
    };
    const plan = await planOfExport(cleanTenant, undefined, moved);
    const schema = JSON.parse(
      readFileSync(new URL("../../schemas/plan.schema.json", import.meta.url), "utf8"),
    ) as object;
    const validate = new Ajv2020({ strict: true }).compile(schema);
    expect(validate(JSON.parse(renderPlanJson(plan))), JSON.stringify(validate.errors)).toBe(true);
    const text = renderPlanText(plan, { color: false });
    expect(text).toMatch(/- bob@contoso\.com\n +- AAD_PREMIUM_P2/);
    expect(text).toMatch(/\+ alice@contoso\.com\n +\+ SPE_E5 +disabled: SWAY/);
    expect(text).toMatch(/^Plan: 1 to add, 0 to update, 1 to remove, 0 usage locations\. Risk: \w+\.$/m);
    expect(renderPlanMarkdown(plan)).toContain("| bob@contoso.com |  | `AAD_PREMIUM_P2` |");
  });

  it("round-trips a subset of SKUs too", async () => {
    const plan = await planOfExport(cleanTenant, ["SPE_E5", "AAD_PREMIUM_P2"]);
    expect(plan.waves.flatMap((w) => w.changes)).toEqual([]);
  });
});

function readSchema(): string {
  return readFileSync(new URL("../../schemas/manifest.schema.json", import.meta.url), "utf8");
}
