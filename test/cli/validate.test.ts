import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";

/** Writes `files` into a fresh directory and runs `licensectl validate` there. */
async function validate(files: Record<string, string | Uint8Array>, args: readonly string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), "licensectl-validate-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  const io = new RecordingIo({ cwd: dir });
  const code = await runCli(["validate", ...args], io);
  return { code, out: io.out, err: io.err, dir };
}

/** A valid tenant file; tests add a users file beside it. */
const TENANT = `apiVersion: licensectl/v1
tenant:
  id: 3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90
  defaultUsageLocation: US
scope:
  skus: [ENTERPRISEPACK, SPE_E5, AAD_PREMIUM_P2]
  mode: authoritative
profiles:
  office-e3:
    - sku: ENTERPRISEPACK
      disabledPlans: [YAMMER_ENTERPRISE, SWAY]
`;

const users = (body: string) => `apiVersion: licensectl/v1\nusers:\n${body}`;

describe("licensectl validate: valid input", () => {
  it("passes the example set with a summary line and exit 0", async () => {
    const io = new RecordingIo({ cwd: join(import.meta.dirname, "..", "..") });
    // examples/multi-tenant/ is a repository of several tenants: `validate --all` there.
    const code = await runCli(["validate", "examples/manifests/"], io);
    expect(io.out).toMatch(/^examples\/manifests\/: 10 files, 306 users, 7 groups, 8 SKUs — valid\n$/);
    expect(code).toBe(0);
  });

  it("validates the current directory by default and skips emulator fixtures, saying so in JSON", async () => {
    const fixture = "apiVersion: licensectl.emulator/v1\nkind: Tenant\ntenant: { id: x }\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "emulator/tenant.yml": fixture }, [
      "--format",
      "json",
    ]);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      formatVersion: 1,
      valid: true,
      files: ["tenant.yaml"],
      skipped: [{ file: "emulator/tenant.yml", reason: "an emulator tenant fixture, not a manifest" }],
      problems: [],
    });
    expect(code).toBe(0);
  });

  it("lists skipped fixtures in verbose text output", async () => {
    const fixture = "apiVersion: licensectl.emulator/v1\nkind: Tenant\n";
    const { out } = await validate({ "tenant.yaml": TENANT, "fixture.yaml": fixture }, ["--verbose"]);
    expect(out).toContain("skipped fixture.yaml: an emulator tenant fixture, not a manifest\n");
    expect(out).toContain(".: 1 file, 0 users, 0 groups, 3 SKUs — valid\n");
  });
});

describe("licensectl validate: bad input", () => {
  it("reports malformed YAML with its position", async () => {
    const { code, out } = await validate({
      "tenant.yaml": TENANT,
      "users.yaml": users("  - user: a@contoso.com\n    licenses: [ sku: ENTERPRISEPACK\n"),
    });
    expect(out).toMatch(/^users\.yaml:5:1: error: YAML syntax error: .+\n {2}hint: Check the indentation/m);
    expect(code).toBe(1);
  });

  it("reports unknown keys with a did-you-mean, and wrong types", async () => {
    const body =
      "  - user: a@contoso.com\n    licences:\n      - sku: ENTERPRISEPACK\n" +
      "  - user: b@contoso.com\n    licenses:\n      - skus: ENTERPRISEPACK\n" +
      "  - user: c@contoso.com\n    licenses: ENTERPRISEPACK\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "users.yaml": users(body) });
    expect(out).toContain(
      'users.yaml:4:5: error: unknown key "licences" in users[0]\n  hint: Did you mean "licenses"? Allowed keys here: user, usageLocation, licenses.',
    );
    expect(out).toContain(
      'users.yaml:8:9: error: unknown key "skus" in users[1].licenses[0]\n  hint: Did you mean "sku"?',
    );
    expect(out).not.toContain('missing the required key "sku"');
    expect(out).toContain(
      'users.yaml:10:15: error: users[2].licenses must be a list, found the string "ENTERPRISEPACK"',
    );
    expect(out).toContain("3 errors in 1 file\n");
    expect(code).toBe(1);
  });

  it("points an unknown or foreign service plan at the plan's own line, in block and flow lists", async () => {
    const body =
      "  - user: a@contoso.com\n    licenses:\n      - sku: ENTERPRISEPACK\n        disabledPlans:\n" +
      "          - SWAY\n          - SWAYY\n" +
      "  - user: b@contoso.com\n    licenses:\n      - sku: SPE_E5\n        enabledPlans: [TEAMS1, YAMMER_ENTERPRISE, EXCHANGE_S_STANDARD]\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "users.yaml": users(body) }, [
      "--format",
      "github",
    ]);
    expect(out).toMatch(/file=users\.yaml,line=8,col=13,[^\n]*::unknown service plan "SWAYY"/);
    expect(out).toMatch(
      /file=users\.yaml,line=12,col=51,[^\n]*::service plan "EXCHANGE_S_STANDARD" is not part of/,
    );
    expect(code).toBe(1);
  });

  it("explains a license entry written as a bare name or with both sku and profile", async () => {
    const body =
      "  - user: a@contoso.com\n    licenses:\n      - ENTERPRISEPACK\n      - { sku: SPE_E5, profile: office-e3 }\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "users.yaml": users(body) });
    expect(out).toContain(
      'users.yaml:5:9: error: users[0].licenses[0] must be a mapping, found the string "ENTERPRISEPACK"\n  hint: Write "- sku: ENTERPRISEPACK"',
    );
    expect(out).toContain('users.yaml:6:9: error: users[0].licenses[1] uses "sku" and "profile" together');
    expect(code).toBe(1);
  });

  it("reports wrong enum values and numbers with the allowed values", async () => {
    const tenant =
      TENANT.replace("mode: authoritative", "mode: authoritive") + "limits:\n  maxRemovals: ten\n";
    const { code, out } = await validate({ "tenant.yaml": tenant });
    expect(out).toContain(
      'tenant.yaml:7:9: error: scope.mode is the string "authoritive", which is not allowed\n  hint: Did you mean "authoritative"? Allowed: authoritative, additive.',
    );
    expect(out).toContain(
      'tenant.yaml:13:16: error: limits.maxRemovals must be a whole number, found the string "ten"',
    );
    expect(code).toBe(1);
  });

  it("names the closest SKUs for an unknown SKU", async () => {
    const { code, out } = await validate({
      "tenant.yaml": TENANT,
      "users.yaml": users("  - user: a@contoso.com\n    licenses:\n      - sku: ENTERPRISEPAK\n"),
    });
    expect(out).toContain(
      'users.yaml:5:9: error: unknown SKU "ENTERPRISEPAK": no product in the SKU catalog has this part number, display name or GUID\n  hint: Did you mean "ENTERPRISEPACK"?',
    );
    expect(code).toBe(1);
  });

  it("lists the candidates with their GUIDs for an ambiguous SKU name", async () => {
    const tenant = TENANT.replace("AAD_PREMIUM_P2]", "AAD_PREMIUM_P2, MCOPSTN5]");
    const { code, out } = await validate({ "tenant.yaml": tenant });
    expect(out).toContain('tenant.yaml:6:50: error: SKU name "MCOPSTN5" matches 2 products:');
    expect(out).toContain("d43177b5-475b-4880-92d4-d54c27b5efbd (MCOPSTN5,");
    expect(out).toContain("54a152dc-90de-4996-93d2-bc47e670fc06 (MCOPSTN5,");
    expect(out).toContain(
      'hint: Name the SKU by its skuId GUID, e.g. "d43177b5-475b-4880-92d4-d54c27b5efbd".',
    );
    expect(code).toBe(1);
  });

  it("reports unknown service plans and plans of another SKU", async () => {
    const body =
      "  - user: a@contoso.com\n    licenses:\n      - sku: ENTERPRISEPACK\n        disabledPlans: [SWAYY]\n" +
      "      - sku: SPE_E5\n        enabledPlans: [EXCHANGE_S_ENTERPRISE, VISIO_CLIENT_SUBSCRIPTION]\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "users.yaml": users(body) });
    expect(out).toContain(
      'users.yaml:6:25: error: unknown service plan "SWAYY" in Office 365 E3 (ENTERPRISEPACK)\n  hint: Did you mean "SWAY"?',
    );
    expect(out).toContain(
      'users.yaml:8:47: error: service plan "VISIO_CLIENT_SUBSCRIPTION" is not part of Microsoft 365 E5 (SPE_E5)',
    );
    expect(code).toBe(1);
  });

  it("checks the names in a profile that nobody uses yet", async () => {
    const tenant = TENANT + "  designer:\n    - sku: VISIOCLEINT\n  analyst:\n    - sku: POWER_BI_PRO\n";
    const { code, out } = await validate({ "tenant.yaml": tenant });
    expect(out).toContain('tenant.yaml:13:7: error: unknown SKU "VISIOCLEINT"');
    expect(out).toContain(
      'tenant.yaml:15:7: error: Power BI Pro (POWER_BI_PRO) in profile "analyst" is not in scope.skus, so licensectl would never manage it',
    );
    expect(out).toContain("2 errors in 1 file\n");
    expect(code).toBe(1);
  });

  it("refuses enabledPlans and disabledPlans together", async () => {
    const body =
      "  - user: a@contoso.com\n    licenses:\n      - sku: SPE_E5\n        enabledPlans: [TEAMS1]\n        disabledPlans: [SWAY]\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "users.yaml": users(body) });
    expect(out).toContain(
      'users.yaml:6:9: error: the license for "SPE_E5" has both enabledPlans and disabledPlans\n  hint: Keep one',
    );
    expect(code).toBe(1);
  });

  it("names both places of a user defined twice, comparing case-insensitively", async () => {
    const { code, out } = await validate({
      "tenant.yaml": TENANT,
      "a.yaml": users("  - user: alice@contoso.com\n"),
      "b/b.yaml": users("  - user: bob@contoso.com\n  - user: Alice@Contoso.com\n"),
    });
    expect(out).toContain('b/b.yaml:4:5: error: user "Alice@Contoso.com" is defined here and at a.yaml:3:5');
    expect(code).toBe(1);
  });

  it("names both places of a group or profile defined twice", async () => {
    const groups =
      "apiVersion: licensectl/v1\ngroups:\n  - group: Sales\n    licenses: [{ profile: office-e3 }]\n  - group: Sales\n";
    const profile = "apiVersion: licensectl/v1\nprofiles:\n  office-e3:\n    - sku: SPE_E5\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "groups.yaml": groups, "z.yaml": profile });
    expect(out).toContain('groups.yaml:5:5: error: group "Sales" is defined here and at groups.yaml:3:5');
    expect(out).toContain('z.yaml:3:3: error: profile "office-e3" is defined here and at tenant.yaml:9:3');
    expect(code).toBe(1);
  });

  it("reports a profile that does not exist", async () => {
    const { code, out } = await validate({
      "tenant.yaml": TENANT,
      "users.yaml": users("  - user: a@contoso.com\n    licenses:\n      - profile: office-e5\n"),
    });
    expect(out).toContain(
      'users.yaml:5:18: error: profile "office-e5" is not defined in any manifest file\n  hint: Did you mean "office-e3"?',
    );
    expect(code).toBe(1);
  });

  it("accepts only ISO 3166-1 usage locations", async () => {
    const body =
      "  - user: a@contoso.com\n    usageLocation: UK\n  - user: b@contoso.com\n    usageLocation: us\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "users.yaml": users(body) });
    expect(out).toContain(
      'users.yaml:4:20: error: "UK" is not an ISO 3166-1 country code\n  hint: Use a two-letter ISO 3166-1 alpha-2 country code in upper case, e.g. US, GB, DE or IN. Did you mean "GB"?',
    );
    expect(out).toContain(
      'users.yaml:6:20: error: users[1].usageLocation is the string "us", which is not valid here\n  hint: Use a two-letter',
    );
    expect(out).toContain('Did you mean "US"?');
    expect(code).toBe(1);
  });

  it("reports duplicate keys", async () => {
    const { code, out } = await validate({
      "tenant.yaml": TENANT,
      "users.yaml": users("  - user: a@contoso.com\n    usageLocation: US\n    usageLocation: GB\n"),
    });
    expect(out).toContain("users.yaml:5:5: error: this key appears twice in the same mapping");
    expect(code).toBe(1);
  });

  it("stops YAML alias bombs", async () => {
    const bomb =
      'apiVersion: licensectl/v1\na: &a ["x","x","x","x","x","x","x","x","x"]\n' +
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" +
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "bomb.yaml": bomb });
    expect(out).toMatch(/^bomb\.yaml:3:8: error: YAML aliases expand to too much data/m);
    expect(code).toBe(1);
  });

  it("reads files over 5 MiB: size alone is no limit", async () => {
    const big = `${users("  - user: ann@contoso.com\n    licenses: []\n")}${"# padding\n".repeat(530_000)}`;
    const { code, out } = await validate({ "tenant.yaml": TENANT, "big.yaml": big });
    expect(out).not.toContain("error");
    expect(code).toBe(0);
  });

  it("names the offset and line of bytes that are not UTF-8", async () => {
    const bytes = Buffer.concat([
      Buffer.from(users("  - user: caf")),
      Buffer.from([0xe9]),
      Buffer.from("@contoso.com\n"),
    ]);
    const { code, out } = await validate({ "tenant.yaml": TENANT, "latin1.yaml": bytes });
    expect(out).toContain(
      "latin1.yaml:3:14: error: latin1.yaml is not UTF-8: byte 0xe9 at offset 46 is not valid UTF-8 (line 3)\n  hint: Save the file as UTF-8",
    );
    expect(code).toBe(1);
  });

  it("fails on empty files alone as on an empty directory, and only warns about one beside manifests", async () => {
    const alone = await validate({ "empty.yaml": "", "blank.yml": "# nothing yet\n" }, ["."]);
    expect(alone.out).toContain("error: no manifests found; skipped blank.yml (empty), empty.yaml (empty)");
    expect(alone.code).toBe(1);
    const beside = await validate({ "tenant.yaml": TENANT, "empty.yaml": "" });
    expect(beside.out).toContain("empty.yaml:1:1: warning: empty.yaml is empty");
    expect(beside.code).toBe(0);
  });

  it("reports an empty directory and a missing path", async () => {
    const empty = await validate({}, ["."]);
    expect(empty.out).toContain("error: . holds no *.yaml or *.yml files");
    expect(empty.code).toBe(1);
    const missing = await validate({ "tenant.yaml": TENANT }, ["nowhere"]);
    expect(missing.out).toContain("error: nowhere does not exist");
    expect(missing.code).toBe(1);
  });

  it("asks to add a SKU to scope.skus when a principal uses one outside it", async () => {
    const { code, out } = await validate({
      "tenant.yaml": TENANT,
      "users.yaml": users("  - user: a@contoso.com\n    licenses:\n      - sku: VISIOCLIENT\n"),
    });
    expect(out).toContain(
      'users.yaml:5:9: error: Visio Plan 2 (VISIOCLIENT) is assigned to user "a@contoso.com" but is not in scope.skus, so licensectl would never manage it\n  hint: Add VISIOCLIENT to scope.skus (tenant.yaml:6:10), or remove this license.',
    );
    expect(code).toBe(1);
  });

  it("requires a known apiVersion in every file", async () => {
    const { code, out } = await validate({
      "tenant.yaml": TENANT,
      "none.yaml": "users:\n  - user: a@contoso.com\n",
      "old.yaml": "apiVersion: licensectl/v2\n",
    });
    expect(out).toContain(
      "none.yaml:1:1: error: none.yaml has no apiVersion, so licensectl cannot tell what it is\n  hint: Add `apiVersion: licensectl/v1`",
    );
    expect(out).toContain(
      'old.yaml:1:13: error: apiVersion "licensectl/v2" is not one licensectl knows\n  hint: Did you mean "licensectl/v1"?',
    );
    expect(code).toBe(1);
  });

  it("skips other YAML met in a directory (CI workflows, Kubernetes objects) but not when named", async () => {
    const workflow = "name: licensectl\non: [pull_request]\njobs:\n  validate:\n    runs-on: ubuntu-latest\n";
    const k8s = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n";
    const files = { "tenant.yaml": TENANT, "ci/validate.yml": workflow, "deploy/config.yaml": k8s };
    const walked = await validate(files, ["--format", "json"]);
    expect(JSON.parse(walked.out)).toMatchObject({
      valid: true,
      files: ["tenant.yaml"],
      skipped: [
        { file: "ci/validate.yml", reason: "not a licensectl manifest (no apiVersion: licensectl/v1)" },
        { file: "deploy/config.yaml", reason: "not a licensectl manifest (no apiVersion: licensectl/v1)" },
      ],
    });
    expect(walked.code).toBe(0);
    const named = await validate(files, [".", "ci/validate.yml", "deploy/config.yaml"]);
    expect(named.out).toContain("ci/validate.yml:1:1: error: ci/validate.yml has no apiVersion");
    expect(named.out).toContain(
      'deploy/config.yaml:1:13: error: apiVersion "v1" is not one licensectl knows',
    );
    expect(named.code).toBe(1);
  });

  it("allows scope once and a repeated tenant only when it agrees", async () => {
    const other =
      "apiVersion: licensectl/v1\ntenant:\n  id: 00000000-0000-4000-8000-000000000000\nscope:\n  skus: [SPE_E5]\n  mode: additive\n";
    const { code, out } = await validate({ "tenant.yaml": TENANT, "users.yaml": other });
    expect(out).toContain(
      'users.yaml:3:7: error: tenant.id is "00000000-0000-4000-8000-000000000000" here but "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90" at tenant.yaml:3:7',
    );
    expect(out).toContain(
      "users.yaml:4:1: error: scope is stated here and at tenant.yaml:5:1; it may be stated only once",
    );
    expect(code).toBe(1);
  });

  it("reports every problem of a run, sorted by file and position", async () => {
    const body =
      "  - user: a@contoso.com\n    usageLocation: XX\n    licenses:\n      - sku: NOPE\n      - profile: nope\n";
    const { code, out } = await validate({
      "tenant.yaml": TENANT.replace("SPE_E5", "SPE_E55"),
      "users.yaml": users(body),
    });
    const locations = [...out.matchAll(/^([\w.]+:\d+:\d+): error/gm)].map((m) => m[1]);
    expect(locations).toEqual(["tenant.yaml:6:26", "users.yaml:4:20", "users.yaml:6:9", "users.yaml:7:18"]);
    expect(out).toMatch(/4 errors in 2 files\n$/);
    expect(code).toBe(1);
  });
});

describe("licensectl validate: output formats", () => {
  const bad = {
    "tenant.yaml": TENANT,
    "users.yaml": users("  - user: a@contoso.com\n    usageLocation: UK\n"),
  };

  it("prints a versioned JSON report", async () => {
    const { code, out } = await validate(bad, ["--format", "json"]);
    const report = JSON.parse(out);
    expect(report).toEqual({
      formatVersion: 1,
      valid: false,
      target: ".",
      files: ["tenant.yaml", "users.yaml"],
      skipped: [],
      totals: { users: 1, groups: 0, skus: 3 },
      problems: [
        {
          code: "invalid-usage-location",
          severity: "error",
          message: '"UK" is not an ISO 3166-1 country code',
          hint: 'Use a two-letter ISO 3166-1 alpha-2 country code in upper case, e.g. US, GB, DE or IN. Did you mean "GB"?',
          file: "users.yaml",
          line: 4,
          column: 20,
        },
      ],
    });
    expect(code).toBe(1);
  });

  it("prints GitHub annotations", async () => {
    const { code, out } = await validate(bad, ["--format", "github"]);
    expect(out.split("\n")[0]).toBe(
      '::error file=users.yaml,line=4,col=20,title=licensectl invalid-usage-location::"UK" is not an ISO 3166-1 country code%0AUse a two-letter ISO 3166-1 alpha-2 country code in upper case, e.g. US, GB, DE or IN. Did you mean "GB"?',
    );
    expect(out).toContain("\n1 error in 1 file\n");
    expect(code).toBe(1);
  });

  it("refuses an unknown format", async () => {
    const { code, err } = await validate(bad, ["--format", "xml"]);
    expect(err).toContain("--format xml is not one of text, json, github");
    expect(code).toBe(1);
  });

  it("resolves names against --catalog instead of the bundled catalog", async () => {
    const csv =
      "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\n" +
      "Contoso Suite,CONTOSO_SUITE,aaaaaaaa-0000-4000-8000-000000000001,CONTOSO_MAIL,bbbbbbbb-0000-4000-8000-000000000002,Mail\n";
    const tenant =
      "apiVersion: licensectl/v1\nscope:\n  skus: [CONTOSO_SUITE, ENTERPRISEPACK]\n  mode: additive\n";
    const { code, out } = await validate({ "m/tenant.yaml": tenant, "catalog.csv": csv }, [
      "--catalog",
      "catalog.csv",
      "m",
    ]);
    expect(out).toContain('m/tenant.yaml:3:25: error: unknown SKU "ENTERPRISEPACK"');
    expect(out).not.toContain("CONTOSO_SUITE");
    expect(code).toBe(1);
  });
});
