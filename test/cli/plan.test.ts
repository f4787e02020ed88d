import { cp, readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import { parsePlanFile } from "../../src/plan/plan-file.js";
import { EXAMPLE_MANIFESTS, ROOT, startHarness, type CliHarness } from "./cli-harness.js";

let harness: CliHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("licensectl plan against the example tenant", () => {
  it("shows the example's drift as ordered waves and writes nothing", async () => {
    harness = await startHarness();
    const { code, out, err } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS]);
    expect(err).toMatch(/Read Contoso \(3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90\): \d+ users/);
    expect(code).toBe(0);
    // The swap is one atomic change in the updates wave, after removals and before additions.
    const waves = [...out.matchAll(/^Wave \d+\/\d+: (.+) \(/gm)].map((m) => m[1]);
    expect(waves).toEqual([
      "Set usage locations",
      "Remove licenses from users",
      "Update service plans and swap SKUs",
      "Add licenses to users",
      "Add licenses to groups",
      // marcus's direct SPE_E3, which a group also gives him, goes once that copy is read Active.
      "Hand direct assignments over to groups",
    ]);
    expect(out).toMatch(/~ olivia\.hart@contoso\.com\n\s+\+ SPE_E5 .*\n\s+- SPE_E3/);
    expect(out).toMatch(
      /~ group Licensing - Office 365 E3 Frontline\n\s+~ ENTERPRISEPACK\s+disable: COPILOT_STUDIO_IN_E3/,
    );
    expect(out).toMatch(
      /^Plan: \d+ to add, \d+ to update, \d+ to remove, 4 usage locations\. Risk: high\.$/m,
    );
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("shows the warnings validate would show (an empty file beside the manifests) on stderr", async () => {
    harness = await startHarness();
    const dir = join(harness.dir, "manifests");
    await cp(EXAMPLE_MANIFESTS, dir, { recursive: true });
    await writeFile(join(dir, "notes.yaml"), "");
    const { code, out, err } = await harness.run(["plan", "-m", dir, "--format", "json"]);
    expect(code).toBe(0);
    expect(err).toMatch(/notes\.yaml:1:1: warning: .*notes\.yaml is empty/);
    expect(() => JSON.parse(out)).not.toThrow();
    const quiet = await harness.run(["plan", "-m", dir, "--quiet"]);
    expect(quiet.err).toBe("");
  });

  it("exits 2 with --detailed-exitcode when changes are pending", async () => {
    harness = await startHarness();
    const { code } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--detailed-exitcode", "--quiet"]);
    expect(code).toBe(2);
  });

  it("prints JSON that follows schemas/plan.schema.json, on stdout alone", async () => {
    harness = await startHarness();
    const { code, out } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--format", "json"]);
    expect(code).toBe(0);
    const schema = JSON.parse(await readFile(join(ROOT, "schemas", "plan.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const document = JSON.parse(out);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it("renders markdown for a pull request", async () => {
    harness = await startHarness();
    const { code, out } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--format", "markdown"]);
    expect(code).toBe(0);
    expect(out.startsWith("<!-- licensectl-plan -->")).toBe(true);
    expect(out).toContain("olivia.hart@contoso.com");
  });

  it("saves a plan file that apply can read back", async () => {
    harness = await startHarness();
    const { code } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--out", "plan.json", "--quiet"]);
    expect(code).toBe(0);
    const plan = parsePlanFile(await readFile(join(harness.dir, "plan.json"), "utf8"), "plan.json");
    expect(plan.tenant.id).toBe("3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90");
    expect(plan.summary.changes).toBeGreaterThan(0);
  });

  it("names an unknown user with its manifest location, exits 1 and writes nothing", async () => {
    harness = await startHarness();
    const manifests = join(harness.dir, "m");
    await mkdir(manifests);
    await writeFile(
      join(manifests, "licenses.yaml"),
      [
        "apiVersion: licensectl/v1",
        "tenant: { id: 3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90 }",
        "scope: { skus: [POWER_BI_PRO], mode: additive }",
        "users:",
        "  - user: nobody.here@contoso.com",
        "    licenses: [{ sku: POWER_BI_PRO }]",
        "",
      ].join("\n"),
    );
    const { code, err } = await harness.run(["plan", "-m", manifests]);
    expect(code).toBe(1);
    expect(err).toMatch(/m\/licenses\.yaml:5:\d+: error: .*nobody\.here@contoso\.com/);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("refuses manifests written for another tenant", async () => {
    harness = await startHarness();
    const manifests = join(harness.dir, "other.yaml");
    await writeFile(
      manifests,
      "apiVersion: licensectl/v1\ntenant: { id: 11111111-2222-4333-8444-555555555555 }\nscope: { skus: [POWER_BI_PRO], mode: additive }\n",
    );
    const { code, err } = await harness.run(["plan", "-m", manifests]);
    expect(code).toBe(1);
    expect(err).toMatch(/11111111-2222-4333-8444-555555555555/);
    expect(err).toMatch(/3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90/);
  });
});

describe("licensectl export", () => {
  it("writes manifests that plan back to no changes", async () => {
    harness = await startHarness();
    const exported = await harness.run(["export", "--out", "exported", "--quiet"]);
    expect(exported.code).toBe(0);
    const { code, out } = await harness.run(["plan", "-m", "exported", "--detailed-exitcode"]);
    expect(out).toContain("No changes");
    expect(code).toBe(0);
  });

  it("refuses to overwrite existing files without --force", async () => {
    harness = await startHarness();
    expect((await harness.run(["export", "--out", "exported", "--quiet"])).code).toBe(0);
    const again = await harness.run(["export", "--out", "exported", "--quiet"]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
    expect((await harness.run(["export", "--out", "exported", "--quiet", "--force"])).code).toBe(0);
  });
});

describe("licensectl skus", () => {
  it("lists seats per SKU in two requests: the SKUs and the subscriptions behind them", async () => {
    harness = await startHarness();
    harness.emulator.resetCounters();
    const { code, out } = await harness.run(["skus"]);
    expect(code).toBe(0);
    expect(out).toMatch(/ENTERPRISEPACK\s+Office 365 E3\s+User\s+Enabled\s+50\s+45\s+5\s/);
    expect(harness.emulator.counters.requests).toBe(2);
  });

  it("reads --catalog relative to the working directory, as validate does", async () => {
    harness = await startHarness();
    const csv =
      "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\n" +
      "Office 365 E3 (own catalog),ENTERPRISEPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,EXCHANGE_S_ENTERPRISE,efb87545-963c-4e0d-99df-69c6916d9eb0,Exchange\n";
    await writeFile(join(harness.dir, "own-catalog.csv"), csv);
    const { code, out, err } = await harness.run(["skus", "--catalog", "own-catalog.csv"]);
    expect(err).toBe("");
    expect(out).toContain("Office 365 E3 (own catalog)");
    expect(code).toBe(0);
  });
});
