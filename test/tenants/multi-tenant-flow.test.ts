import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { GITHUB_COMMENT_LIMIT } from "../../src/report/markdown.js";
import { ROOT } from "../cli/cli-harness.js";

/**
 * The whole flow for a repository of several tenants against one emulator
 * holding them: plan --all, apply the saved plans tenant by tenant, plan
 * again; one tenant whose manifests name a tenant the emulator does not hold
 * fails on its own, and the others go on.
 */
const EXAMPLE = join(ROOT, "examples", "multi-tenant");
const CONTOSO = "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90";
const NORTHWIND = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";
const WRONG = "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a";

const schema = (name: string) =>
  JSON.parse(readFileSync(join(ROOT, "schemas", `${name}.schema.json`), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false })
  .addSchema(schema("plan"))
  .addSchema(schema("drift"));
const tenantPlans = ajv.compile(schema("tenant-plans"));
const tenantDrift = ajv.compile(schema("tenant-drift"));

/** Parses a multi-tenant JSON document and checks it against its published schema. */
function conforming<T>(text: string, validate: typeof tenantPlans): T {
  const doc = JSON.parse(text) as T;
  expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
  return doc;
}

let emulator: RunningEmulator;
let repo: string;

async function licensectl(...args: string[]) {
  const io = new RecordingIo({ cwd: repo });
  const code = await runCli([...args, "--graph-url", emulator.url, "--auth", "none"], io);
  return { code, out: io.out, err: io.err };
}

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), "licensectl-tenants-"));
  mkdirSync(join(repo, ".git"));
  cpSync(join(EXAMPLE, "shared"), join(repo, "shared"), { recursive: true });
  cpSync(join(EXAMPLE, "tenants"), join(repo, "tenants"), { recursive: true });
  // A fourth tenant whose manifests name a tenant id the emulator (Entra ID, here) does not know.
  mkdirSync(join(repo, "tenants", "wingtip"));
  writeFileSync(
    join(repo, "tenants", "wingtip", "licenses.yaml"),
    readFileSync(join(EXAMPLE, "tenants", "northwind", "licenses.yaml"), "utf8").replace(NORTHWIND, WRONG),
  );
  // A plan left by an earlier run for the tenant that will fail: plan --all --out must not leave it there.
  mkdirSync(join(repo, "plans"));
  writeFileSync(join(repo, "plans", "wingtip.plan.json"), "{}");
  const fixtures = join(EXAMPLE, "emulator");
  emulator = await startEmulator({
    tenants: readdirSync(fixtures).map((f) => join(fixtures, f)),
    groupProcessingDelayMs: 0,
  });
});

afterAll(async () => {
  await emulator?.stop();
  rmSync(repo, { recursive: true, force: true });
});

describe("a repository of several tenants with a shared profile library", () => {
  it("plans, applies and re-plans every tenant; the one with a wrong tenant id fails alone", async () => {
    const plan = await licensectl(
      "plan",
      "--all",
      "--out",
      "plans",
      "--format",
      "markdown",
      "--detailed-exitcode",
    );
    expect(plan.code, plan.err).toBe(1);
    const md = plan.out;
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("### licensectl plan for 4 tenants");
    expect(md).toContain("**1 failed, 2 with changes, 1 in sync.**");
    expect(md).toMatch(/\| contoso \| 📝 changes \| 3 \| 0 \| 1 \| 0 \| 🔴 high \|/);
    expect(md).toMatch(/\| northwind \| 📝 changes \| 1 \| 0 \| 0 \| 0 \| 🟢 low \|/);
    expect(md).toMatch(/\| fabrikam \| ✅ in sync \| 0 \| 0 \| 0 \| 0 \| ⚪ none \|/);
    expect(md).toMatch(/\| wingtip \| ❌ failed \| – \| – \| – \| 0 \| – \|/);
    expect(md).toContain(`<details><summary>❌ wingtip: `);
    expect(md).toContain(`AADSTS90002: Tenant '${WRONG}' not found`);
    // The shared library is where the profiles' licenses are declared.
    expect(md).toContain("`shared/profiles.yaml:13`");
    expect(md.match(/<details><summary>📝/g)).toHaveLength(2);
    expect(md.match(/<!-- licensectl-plan -->/g)).toHaveLength(1);
    // Each tenant's plan was saved on its own; the failed tenant has none.
    expect(readdirSync(join(repo, "plans")).sort()).toEqual([
      "contoso.plan.json",
      "fabrikam.plan.json",
      "northwind.plan.json",
    ]);
    const contosoPlan = JSON.parse(readFileSync(join(repo, "plans", "contoso.plan.json"), "utf8")) as {
      manifests: { files: { path: string }[] };
    };
    expect(contosoPlan.manifests.files.map((f) => f.path)).toEqual([
      "shared/profiles.yaml",
      "tenants/contoso/licenses.yaml",
    ]);

    const apply = await licensectl("apply", "plans", "--format", "json");
    expect(apply.code, apply.err + apply.out).toBe(0);
    const applied = JSON.parse(apply.out) as { tenants: { name: string; status: string; changes: number }[] };
    expect(applied.tenants).toEqual([
      { name: "contoso", tenantId: CONTOSO, status: "changed", changes: 4 },
      { name: "fabrikam", tenantId: "7b0c2d4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", status: "in-sync", changes: 0 },
      { name: "northwind", tenantId: NORTHWIND, status: "changed", changes: 1 },
    ]);
    // Each tenant's writes landed in its own store.
    const adele = emulator
      .snapshot(CONTOSO)
      .users.find((u) => u.userPrincipalName === "adele.vance@contoso.com")!;
    expect(adele.assignedLicenses).toHaveLength(2);
    const nestor = emulator.snapshot(NORTHWIND).users[0]!;
    expect(nestor.assignedLicenses).toHaveLength(2);

    const again = await licensectl("plan", "--all", "--format", "json", "--detailed-exitcode");
    expect(again.code).toBe(1);
    const replanned = conforming<{
      kind: string;
      tenants: { name: string; status: string; failure?: { code: string } }[];
    }>(again.out, tenantPlans);
    expect(replanned.kind).toBe("licensectl/tenant-plans");
    expect(replanned.tenants.map((t) => [t.name, t.status, t.failure?.code])).toEqual([
      ["contoso", "in-sync", undefined],
      ["fabrikam", "in-sync", undefined],
      ["northwind", "in-sync", undefined],
      ["wingtip", "failed", "auth-failed"],
    ]);
    const healthy = await licensectl(
      "plan",
      "--tenant",
      "contoso",
      "fabrikam",
      "northwind",
      "--detailed-exitcode",
    );
    expect(healthy.code, healthy.err).toBe(0);
  });

  it("reports drift per tenant, with a tenant overview in one HTML page", async () => {
    const json = await licensectl("drift", "--all", "--format", "json");
    expect(json.code).toBe(1);
    const report = conforming<{
      kind: string;
      tenants: { name: string; status: string; report?: { summary: { total: number } } }[];
    }>(json.out, tenantDrift);
    expect(report.kind).toBe("licensectl/tenant-drift");
    expect(report.tenants.map((t) => [t.name, t.status])).toEqual([
      ["contoso", expect.stringMatching(/^(in-sync|changed)$/)],
      ["fabrikam", expect.stringMatching(/^(in-sync|changed)$/)],
      ["northwind", expect.stringMatching(/^(in-sync|changed)$/)],
      ["wingtip", "failed"],
    ]);
    for (const tenant of report.tenants.slice(0, 3))
      expect(tenant.status === "changed").toBe(tenant.report!.summary.total > 0);
    const html = await licensectl("drift", "--all", "--format", "html", "--output", "drift.html");
    expect(html.code).toBe(1);
    const page = readFileSync(join(repo, "drift.html"), "utf8");
    expect(page).toContain("<h1>licensectl drift: 4 tenants</h1>");
    expect(page.match(/<tr class=/g)).toHaveLength(4);
    expect(page.match(/<iframe /g)).toHaveLength(3);
    expect(page).toContain(`AADSTS90002: Tenant &#39;${WRONG}&#39; not found`);
  });

  it("refuses saved plans that were already carried out, tenant by tenant", async () => {
    const again = await licensectl("apply", "plans", "--tenant", "contoso", "fabrikam", "--format", "json");
    expect(again.code).toBe(1);
    const outcome = JSON.parse(again.out) as {
      tenants: { name: string; status: string; refusal?: { reason: string } }[];
    };
    expect(outcome.tenants.map((t) => [t.name, t.status, t.refusal?.reason])).toEqual([
      ["contoso", "failed", "stale"],
      ["fabrikam", "in-sync", undefined],
    ]);
  });

  it("combines the JSON plans of CI shards into one comment and one exit code", async () => {
    const shards = [];
    for (const shard of ["1/2", "2/2"]) {
      const run = await licensectl("plan", "--shard", shard, "--format", "json");
      writeFileSync(join(repo, `plan-${shard[0]}.json`), run.out);
      conforming(run.out, tenantPlans);
      shards.push(`plan-${shard[0]}.json`);
    }
    const io = new RecordingIo({ cwd: repo });
    const code = await runCli(
      ["combine", ...shards, "--expect-tenants", "tenants", "--detailed-exitcode"],
      io,
    );
    expect(code).toBe(1);
    expect(io.out).toContain("**1 failed, 0 with changes, 3 in sync.**");
    // A shard that never reported is a failure, not silence.
    const partial = new RecordingIo({ cwd: repo });
    expect(
      await runCli(["combine", shards[0]!, "--expect-tenants", "tenants", "--format", "json"], partial),
    ).toBe(1);
    const combined = conforming<{
      tenants: { name: string; failure?: { message: string } }[];
    }>(partial.out, tenantPlans);
    expect(combined.tenants.filter((t) => t.failure?.message.startsWith("no plan for"))).toHaveLength(2);
  });
});

describe("validate --all", () => {
  it("checks each tenant of the example repository on its own, with the library each imports", async () => {
    const io = new RecordingIo({ cwd: EXAMPLE });
    expect(await runCli(["validate", "--all"], io)).toBe(0);
    expect(io.out).toContain("tenants/contoso: 2 files, 3 users, 0 groups, 3 SKUs — valid");
    expect(io.out).toContain("3 tenants: 0 invalid, 3 valid");
  });

  it("fails only the tenant whose import is missing, at the import", async () => {
    writeFileSync(
      join(repo, "tenants", "wingtip", "licenses.yaml"),
      readFileSync(join(repo, "tenants", "wingtip", "licenses.yaml"), "utf8").replace(
        "../../shared/profiles.yaml",
        "../../shared/profile.yaml",
      ),
    );
    const io = new RecordingIo({ cwd: repo });
    expect(await runCli(["validate", "--all", "--format", "json"], io)).toBe(1);
    const report = JSON.parse(io.out) as { tenants: { name: string; valid: boolean }[] };
    expect(report.tenants.map((t) => [t.name, t.valid])).toEqual([
      ["contoso", true],
      ["fabrikam", true],
      ["northwind", true],
      ["wingtip", false],
    ]);
    const text = new RecordingIo({ cwd: repo });
    await runCli(["validate", "--tenant", "wingtip"], text);
    expect(text.out).toMatch(
      /tenants\/wingtip\/licenses\.yaml:3:11: error: \.\.\/\.\.\/shared\/profile\.yaml/,
    );
  });
});
