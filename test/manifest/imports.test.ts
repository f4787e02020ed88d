import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadManifests } from "../../src/manifest/load-manifests.js";

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const TENANT = (imports: string, extra = "") => `apiVersion: licensectl/v1
imports: [${imports}]
tenant: { id: 3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90 }
scope: { skus: [ENTERPRISEPACK, SPE_E5], mode: authoritative }
${extra}users:
  - user: adele.vance@contoso.com
    licenses: [{ profile: office }]
`;
const LIBRARY = `apiVersion: licensectl/v1
profiles:
  office:
    - sku: ENTERPRISEPACK
      disabledPlans: [SWAY]
`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "licensectl-imports-"));
  mkdirSync(join(root, ".git"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("profile libraries imported by a tenant's manifests", () => {
  it("expands a shared profile, and records the library among the manifest files", async () => {
    write("shared/profiles.yaml", LIBRARY);
    write("tenants/contoso/licenses.yaml", TENANT("../../shared/profiles.yaml"));
    const { state, problems } = await loadManifests(["tenants/contoso"], { cwd: root });
    expect(problems).toEqual([]);
    expect(state?.files).toEqual(["shared/profiles.yaml", "tenants/contoso/licenses.yaml"]);
    const adele = state!.users[0]!;
    expect(adele.licenses.map((l) => [l.sku, l.disabledPlans])).toEqual([["ENTERPRISEPACK", ["SWAY"]]]);
    expect(adele.licenses[0]!.location.file).toBe("shared/profiles.yaml");
  });

  it("lets the tenant's own profile replace a library profile of the same name", async () => {
    write("shared/profiles.yaml", LIBRARY);
    write(
      "tenants/contoso/licenses.yaml",
      TENANT("../../shared/profiles.yaml", "profiles:\n  office:\n    - sku: SPE_E5\n"),
    );
    const { state, problems } = await loadManifests(["tenants/contoso"], { cwd: root });
    expect(problems).toEqual([]);
    expect(state!.users[0]!.licenses.map((l) => l.sku)).toEqual(["SPE_E5"]);
  });

  it("locates a missing library, a cycle, a clash between libraries and a library holding users", async () => {
    write(
      "shared/a.yaml",
      `apiVersion: licensectl/v1\nimports: [b.yaml]\n${LIBRARY.split("\n").slice(1).join("\n")}`,
    );
    write(
      "shared/b.yaml",
      "apiVersion: licensectl/v1\nimports: [a.yaml]\nprofiles:\n  office:\n    - sku: SPE_E5\n",
    );
    write("shared/people.yaml", "apiVersion: licensectl/v1\nusers:\n  - user: x@contoso.com\n");
    write(
      "tenants/contoso/licenses.yaml",
      TENANT("../../shared/a.yaml, ../../shared/missing.yaml, ../../shared/people.yaml"),
    );
    const { state, problems } = await loadManifests(["tenants/contoso"], { cwd: root });
    expect(state).toBeUndefined();
    const byCode = (code: string) => problems.filter((p) => p.code === code);
    expect(byCode("import-not-found")).toHaveLength(1);
    expect(byCode("import-not-found")[0]!.location).toEqual({
      file: "tenants/contoso/licenses.yaml",
      line: 2,
      column: 32,
    });
    expect(byCode("import-cycle")[0]!.message).toContain("shared/a.yaml -> shared/b.yaml -> shared/a.yaml");
    expect(byCode("import-cycle")[0]!.location?.file).toBe("shared/b.yaml");
    expect(byCode("duplicate-profile")[0]!.message).toMatch(
      /profile "office" is defined here and at shared\/a\.yaml:\d+:\d+/,
    );
    expect(byCode("library-not-profiles")[0]).toMatchObject({
      message: "shared/people.yaml is imported as a profile library but states users",
      location: { file: "shared/people.yaml", line: 2, column: 1 },
    });
  });

  it("refuses an import that leaves the repository", async () => {
    const outside = mkdtempSync(join(tmpdir(), "licensectl-outside-"));
    try {
      writeFileSync(join(outside, "profiles.yaml"), LIBRARY);
      write("tenants/contoso/licenses.yaml", TENANT(join(outside, "profiles.yaml")));
      const { problems } = await loadManifests(["tenants/contoso"], { cwd: root });
      expect(problems.map((p) => p.code)).toContain("import-outside-repository");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
