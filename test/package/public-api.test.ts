import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/model/errors.js";
import { installPackedPackage, ROOT, type InstalledPackage } from "./packed-package.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");

let installed: InstalledPackage;
beforeAll(async () => {
  installed = await installPackedPackage();
}, 180_000);
afterAll(() => installed?.remove());

const keysOf = async (specifier: string): Promise<string[]> => {
  const { stdout } = await installed.node(
    `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`,
  );
  return JSON.parse(stdout) as string[];
};

describe("the installed package", () => {
  it("offers the documented API from `import('licensectl')`", async () => {
    const keys = await keysOf("licensectl");
    for (const name of [
      "loadManifests",
      "validateManifests",
      "resolveDesiredState",
      "loadCatalog",
      "createGraphClient",
      "readLiveState",
      "planChanges",
      "serializePlan",
      "parsePlanFile",
      "computeDrift",
      "applyPlan",
      "getPlan",
      "getDrift",
      "prepareAdoption",
      "adoptManifests",
      "renderAdoptPatch",
      "applySavedPlan",
      "applyVerdict",
      "selectTenants",
      "planTenants",
      "applyTenantPlans",
      "combineTenantPlans",
      "createLicenseWriter",
      "renderPlanText",
      "renderPlanMarkdown",
      "renderPlanJson",
      "renderDriftHtml",
      "PLAN_RENDERERS",
      "DRIFT_RENDERERS",
      "LicensectlError",
      "isLicensectlError",
      "TOOL_VERSION",
    ])
      expect(keys, name).toContain(name);
    // The emulator is a separate entry point, so programs that only plan don't load it.
    expect(keys).not.toContain("startEmulator");
  });

  it("offers the Graph emulator from `licensectl/emulator`", async () => {
    expect(await keysOf("licensectl/emulator")).toEqual(
      expect.arrayContaining(["startEmulator", "generateTenant", "loadTenantFixture"]),
    );
  });

  it("keeps deep imports closed", async () => {
    const attempt = installed.node(`await import("licensectl/dist/plan/plan-changes.js");`);
    await expect(attempt).rejects.toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it("ships the schemas and the catalog the API needs", async () => {
    const { stdout } = await installed.node(
      `import { loadCatalog } from "licensectl";
       import { createRequire } from "node:module";
       const schema = createRequire(import.meta.url)("licensectl/schemas/manifest.schema.json");
       const found = loadCatalog().lookupSku("ENTERPRISEPACK");
       console.log(found.kind === "found" ? found.sku.id : found.kind, schema.$schema);`,
    );
    expect(stdout.trim()).toBe(
      "6fd2c87f-b296-42f0-b197-1e91e994b900 https://json-schema.org/draft/2020-12/schema",
    );
  });
});

describe("the README's library section", () => {
  it("runs as written: its program plans the example against the emulator through the installed package", async () => {
    const block = /<!-- library-example -->\n```js\n([\s\S]*?)```\n<!-- \/library-example -->/.exec(README);
    expect(block, "README.md has no library-example block").not.toBeNull();
    const program = join(installed.dir, "readme-example.mjs");
    writeFileSync(program, block![1]!);
    const { stdout } = await promisify(execFile)(process.execPath, [program], {
      cwd: join(installed.dir, "node_modules", "licensectl"),
      encoding: "utf8",
    });
    expect(stdout).toMatch(/^Wave 1\/\d+: /m);
    expect(stdout).toMatch(
      /^Plan: \d+ to add, \d+ to update, \d+ to remove, 4 usage locations\. Risk: \w+\.$/m,
    );
  });

  it("lists every error code there is", () => {
    for (const code of ERROR_CODES) expect(README, code).toContain(`\`${code}\``);
  });
});
