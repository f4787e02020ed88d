import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { digestOf } from "../../src/util/digest.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "manifests");

describe("loadManifests", () => {
  it("merges a directory of files (recursively, several documents per file) into one desired state", async () => {
    const { state, problems, skipped } = await loadManifests(["basic"], { cwd: FIXTURES });
    expect(problems).toEqual([]);
    expect(skipped).toEqual(["basic/emulator-tenant.yaml"]);
    expect(state?.files).toEqual(["basic/people/users.yml", "basic/tenant.yaml"]);
    expect(state?.tenant).toEqual({ id: "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90", defaultUsageLocation: "US" });
    expect(state?.scope).toEqual({
      mode: "additive",
      skus: [
        { name: "ENTERPRISEPACK", location: { file: "basic/tenant.yaml", line: 7, column: 10 } },
        { name: "Microsoft 365 E5", location: { file: "basic/tenant.yaml", line: 7, column: 26 } },
        {
          name: "84a661c4-e949-4bd2-a560-ed7766fcaf2b",
          location: { file: "basic/tenant.yaml", line: 7, column: 46 },
        },
      ],
    });
    expect(state?.protect.users.map((u) => u.name)).toEqual(["breakglass@contoso.onmicrosoft.com"]);
    expect(state?.protect.groups.map((g) => g.name)).toEqual(["Executives"]);
    expect(state?.limits).toEqual({ maxRemovals: 10 });
  });

  it("expands profiles, keeping where the license was written and where the profile was used", async () => {
    const { state } = await loadManifests(["basic"], { cwd: FIXTURES });
    const adele = state?.users.find((u) => u.ref === "adele.vance@contoso.com");
    expect(adele).toEqual({
      kind: "user",
      ref: "adele.vance@contoso.com",
      usageLocation: "GB",
      location: { file: "basic/people/users.yml", line: 5, column: 5 },
      licenses: [
        {
          sku: "ENTERPRISEPACK",
          disabledPlans: ["YAMMER_ENTERPRISE", "sway"],
          location: { file: "basic/tenant.yaml", line: 16, column: 7 },
          planLocations: {
            disabledPlans: [
              { file: "basic/tenant.yaml", line: 17, column: 23 },
              { file: "basic/tenant.yaml", line: 17, column: 42 },
            ],
          },
          viaProfile: { name: "office-e3", location: { file: "basic/people/users.yml", line: 8, column: 9 } },
        },
        { sku: "Microsoft Entra ID P2", location: { file: "basic/people/users.yml", line: 9, column: 9 } },
      ],
    });
    const lee = state?.users.find((u) => u.ref === "lee.gu@contoso.com");
    expect(lee).toMatchObject({ licenses: [] });
    expect(lee && "usageLocation" in lee).toBe(false);
    expect(state?.groups).toMatchObject([
      {
        kind: "group",
        ref: "Executives",
        licenses: [
          {
            sku: "SPE_E5",
            enabledPlans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "43de0ff5-c92c-492b-9116-175376d08c38"],
          },
        ],
      },
    ]);
  });

  it("digests the sorted (path, content) pairs of the manifest files", async () => {
    const { state } = await loadManifests(["basic/tenant.yaml", "basic"], { cwd: FIXTURES });
    const pairs = await Promise.all(
      ["basic/people/users.yml", "basic/tenant.yaml"].map(async (path) => [
        path,
        await readFile(join(FIXTURES, path), "utf8"),
      ]),
    );
    expect(state?.digest).toBe(digestOf(pairs));
  });

  it("reads a single file on its own, reporting the scope it lacks", async () => {
    const { state, problems } = await loadManifests(["basic/people/users.yml"], { cwd: FIXTURES });
    expect(state).toBeUndefined();
    expect(problems).toMatchObject([
      { code: "missing-scope", location: { file: "basic/people/users.yml", line: 1, column: 1 } },
      {
        code: "unknown-profile",
        message: 'profile "office-e3" is not defined in any manifest file',
        location: { line: 8, column: 18 },
      },
      {
        code: "unknown-profile",
        message: 'profile "e5-core" is not defined in any manifest file',
        location: { line: 16, column: 18 },
      },
    ]);
  });

  it("returns problems instead of throwing, and no state when one is an error", async () => {
    const { state, problems } = await loadManifests(["does-not-exist"], { cwd: FIXTURES });
    expect(state).toBeUndefined();
    expect(problems).toMatchObject([{ code: "path-not-found", severity: "error" }]);
  });
});
