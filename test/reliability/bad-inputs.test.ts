import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { serializePlan } from "../../src/plan/plan-file.js";
import { MANIFEST_CASES, type BadInput, type CaseRun } from "./bad-inputs.js";
import { countFigures } from "./figures.js";
import { CORPUS, CORPUS_TENANT, emulatorArgs, leakedSentinels, runLicensectl } from "./harness.js";

const OTHER_TENANT_ID = "0d6f3a9b-2c8e-4b1d-8f7a-5e4c3b2a1d0e";
const BASE = readFileSync(join(CORPUS, "base", "licenses.yaml"), "utf8");
/** The base manifest plus one license for bob: a plan with exactly one change. */
const ONE_CHANGE = BASE.replace(
  "groups:\n",
  "  - user: bob@fabrikam.com\n    licenses:\n      - sku: ENTERPRISEPACK\ngroups:\n",
);

let emulator: RunningEmulator;
let work: string;

/** Cases built at run time, each with how it is run. */
type RuntimeCase = BadInput & { readonly setup: () => CaseRun };

const manifestDir = (name: string, files: Record<string, string | Uint8Array>): string => {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
};
const inDir = (dir: string, ...args: string[]): CaseRun => ({ cwd: dir, args: ["-m", ".", ...args] });
const withBase = (...args: string[]): CaseRun => ({ cwd: join(CORPUS, "base"), args: ["-m", ".", ...args] });
const applyPlanFile = (file: string, manifests = "good"): CaseRun => ({
  cwd: work,
  args: [file, "-m", manifests],
});

const PATH_CASES: RuntimeCase[] = [
  {
    // Size alone is no error: a large file is read, and its mistakes are found where they are.
    name: "huge-file-duplicate-key",
    family: "yaml",
    message: /key appears twice/,
    where: new RegExp(`licenses\\.yaml:${BASE.split("\n").length + 1}:1\\b`),
    setup: () =>
      inDir(
        manifestDir("huge", {
          "licenses.yaml": `${BASE}#${"x".repeat(6 * 1024 * 1024)}\nlimits:\n  maxRemovals: 2\n`,
        }),
      ),
  },
  {
    name: "non-utf8-latin1",
    family: "path",
    message: /UTF-8/,
    where: /licenses\.yaml:14:9\b/,
    setup: () => {
      const text = Buffer.from(BASE.replace("  users: [breakglass", "  users: [br\u0000eakglass"), "utf8");
      // Latin-1 "ü" (0xFC) where UTF-8 needs two bytes.
      const bytes = Buffer.concat([
        text.subarray(0, text.indexOf("breakglass") - 2),
        Buffer.from([0xfc]),
        text.subarray(text.indexOf("breakglass") - 2),
      ]);
      return inDir(manifestDir("latin1", { "licenses.yaml": bytes }));
    },
  },
  {
    name: "utf16-with-bom",
    family: "path",
    message: /UTF-8|UTF-16/,
    where: /licenses\.yaml:1:1\b/,
    setup: () => {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE, "utf16le")]);
      return inDir(manifestDir("utf16", { "licenses.yaml": utf16 }));
    },
  },
  {
    name: "symlink-out-of-tree",
    family: "path",
    message: /symbolic link to a file outside/,
    where: /m\/escape\.yaml:1:1\b/,
    setup: () => {
      const dir = manifestDir("escape", { "outside.yaml": BASE });
      mkdirSync(join(dir, "m"));
      writeFileSync(join(dir, "m", "licenses.yaml"), BASE);
      symlinkSync(join(dir, "outside.yaml"), join(dir, "m", "escape.yaml"));
      return { cwd: dir, args: ["-m", "m"] };
    },
  },
  {
    name: "symlink-dangling",
    family: "path",
    message: /symbolic link to a file outside .* \(or to nothing\)/,
    where: /m\/gone\.yaml:1:1\b/,
    setup: () => {
      const dir = manifestDir("dangling", {});
      mkdirSync(join(dir, "m"));
      writeFileSync(join(dir, "m", "licenses.yaml"), BASE);
      symlinkSync(join(dir, "nowhere.yaml"), join(dir, "m", "gone.yaml"));
      return { cwd: dir, args: ["-m", "m"] };
    },
  },
  {
    name: "device-file",
    family: "path",
    message: /is not a regular file/,
    where: /dev\/zero/,
    setup: () => ({ cwd: work, args: ["-m", "/dev/zero"] }),
  },
  {
    name: "symlink-to-device",
    family: "path",
    message: /symbolic link to a file outside/,
    where: /m\/zero\.yaml/,
    setup: () => {
      const dir = manifestDir("devlink", {});
      mkdirSync(join(dir, "m"));
      writeFileSync(join(dir, "m", "licenses.yaml"), BASE);
      symlinkSync("/dev/zero", join(dir, "m", "zero.yaml"));
      return { cwd: dir, args: ["-m", "m"] };
    },
  },
  {
    name: "fifo-named",
    family: "path",
    message: /is not a regular file/,
    where: /pipe\.yaml/,
    setup: () => {
      // Named explicitly: a directory walk passes over pipes without opening them.
      const dir = manifestDir("fifo", { "licenses.yaml": BASE });
      execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
      return { cwd: dir, args: ["-m", "licenses.yaml", "pipe.yaml"] };
    },
  },
  {
    name: "dot-dot-path",
    family: "path",
    message: /does not exist/,
    where: /\.\.\/\.\.\/no-such-dir\/\.\.\/licenses\.yaml/,
    setup: () => ({ cwd: join(CORPUS, "base"), args: ["-m", "../../no-such-dir/../licenses.yaml"] }),
  },
  {
    name: "empty-directory",
    family: "path",
    message: /holds no \*\.yaml or \*\.yml files/,
    where: /empty/,
    setup: () => ({ cwd: work, args: ["-m", manifestDir("empty", {}).slice(work.length + 1)] }),
  },
];

/** Plan files: stale, made elsewhere, or edited by hand. Built in beforeAll. */
const PLAN_FILE_CASES: RuntimeCase[] = (
  [
    {
      name: "plan-stale",
      family: "plan-file",
      message: /the tenant changed since stale\.json was made, and the plan made now differs/,
      where: /stale\.json/,
      setup: () => applyPlanFile("stale.json"),
    },
    {
      name: "plan-other-tenant",
      family: "plan-file",
      message: new RegExp(
        `plan was made for tenant ${OTHER_TENANT_ID}, but the signed-in tenant is 5b2e8c1a`,
      ),
      where: /other-tenant\.json/,
      setup: () => applyPlanFile("other-tenant.json"),
    },
    {
      name: "plan-other-manifests",
      family: "plan-file",
      message: /the manifests are not the ones other-manifests\.json was made from/,
      where: /other-manifests\.json/,
      setup: () => applyPlanFile("other-manifests.json"),
    },
    {
      name: "plan-edited",
      family: "plan-file",
      message: /was changed after licensectl wrote it/,
      where: /edited\.json/,
      setup: () => applyPlanFile("edited.json"),
    },
    {
      name: "plan-edited-digest-recomputed",
      family: "plan-file",
      message: /does not hold the plan licensectl makes/,
      where: /redigested\.json/,
      setup: () => applyPlanFile("redigested.json"),
    },
    {
      name: "plan-limit-raised-digest-recomputed",
      family: "plan-file",
      message: /does not hold the plan licensectl makes/,
      where: /raised-limit\.json/,
      setup: () => applyPlanFile("raised-limit.json", "removals"),
    },
    {
      name: "plan-not-json",
      family: "plan-file",
      message: /is not a licensectl plan file: it is not valid JSON/,
      where: /not-json\.json/,
      setup: () => applyPlanFile("not-json.json"),
    },
    {
      name: "plan-future-format",
      family: "plan-file",
      message: /has plan format 99/,
      where: /future\.json/,
      setup: () => applyPlanFile("future.json"),
    },
    {
      name: "plan-missing",
      family: "plan-file",
      message: /cannot read/,
      where: /missing\.json/,
      setup: () => applyPlanFile("missing.json"),
    },
    {
      name: "plan-is-device",
      family: "plan-file",
      message: /cannot read \/dev\/zero: it is not a regular file/,
      where: /\/dev\/zero/,
      setup: () => applyPlanFile("/dev/zero"),
    },
    {
      name: "plan-is-directory",
      family: "plan-file",
      message: /cannot read/,
      where: /good/,
      setup: () => applyPlanFile("good"),
    },
  ] satisfies RuntimeCase[]
).map((c) => ({ ...c, commands: ["apply"] as const }));

const FLAG_CASES: RuntimeCase[] = [
  {
    name: "flag-format",
    family: "flag",
    message: /--format/,
    where: /xml/,
    setup: () => withBase("--format", "xml"),
  },
  {
    name: "flag-unknown-option",
    family: "flag",
    message: /unknown option/,
    where: /--force/,
    setup: () => withBase("--force"),
  },
  {
    name: "flag-max-removals-negative",
    family: "flag",
    commands: ["apply"],
    message: /--max-removals/,
    where: /-1/,
    setup: () => withBase("--max-removals", "-1"),
  },
  {
    name: "flag-max-removals-text",
    family: "flag",
    commands: ["apply"],
    message: /--max-removals/,
    where: /lots/,
    setup: () => withBase("--max-removals", "lots"),
  },
  {
    name: "flag-concurrency-text",
    family: "flag",
    commands: ["apply"],
    message: /--concurrency/,
    where: /many/,
    setup: () => ({
      ...applyPlanFile("good.json"),
      args: ["good.json", "-m", "good", "--concurrency", "many"],
    }),
  },
  {
    name: "flag-cloud",
    family: "flag",
    message: /--cloud mars is not a cloud/,
    where: /mars/,
    setup: () => withBase("--cloud", "mars"),
  },
  {
    name: "flag-auth",
    family: "flag",
    message: /--auth magic is not a supported credential/,
    where: /magic/,
    setup: () => ({ ...withBase(), globals: ["--graph-url", emulator.url, "--auth", "magic"] }),
  },
  {
    name: "flag-graph-url-scheme",
    family: "flag",
    message: /must use http or https/,
    where: /ftp:\/\/127\.0\.0\.1/,
    setup: () => ({ ...withBase(), globals: ["--graph-url", "ftp://127.0.0.1/", "--auth", "none"] }),
  },
  {
    name: "flag-graph-url-version",
    family: "flag",
    message: /includes an API version/,
    where: /\/v1\.0/,
    setup: () => ({ ...withBase(), globals: ["--graph-url", `${emulator.url}/v1.0`, "--auth", "none"] }),
  },
  {
    name: "flag-auth-none-remote",
    family: "flag",
    message: /--auth none is only allowed with a loopback --graph-url/,
    where: /graph\.microsoft\.com/,
    setup: () => ({
      ...withBase(),
      globals: ["--graph-url", "https://graph.microsoft.com", "--auth", "none"],
    }),
  },
  {
    name: "flag-catalog-device",
    family: "flag",
    message: /cannot read the SKU catalog \/dev\/zero: it is not a regular file/,
    where: /--catalog/,
    setup: () => withBase("--catalog", "/dev/zero"),
  },
  {
    name: "apply-without-approval",
    family: "flag",
    commands: ["apply"],
    message: /apply needs approval and there is no terminal/,
    where: /--auto-approve/,
    setup: () => ({ cwd: work, args: ["-m", "good"], globals: undefined }),
  },
];

const RUNTIME_CASES = [...PATH_CASES, ...PLAN_FILE_CASES, ...FLAG_CASES];

beforeAll(async () => {
  emulator = await startEmulator({ tenant: CORPUS_TENANT, port: 0, groupProcessingDelayMs: 0 });
  work = mkdtempSync(join(tmpdir(), "licensectl-corpus-"));
  const fixture = parse(readFileSync(CORPUS_TENANT, "utf8")) as TenantFixture;
  const plan = async (url: string, manifests: string, out: string) => {
    const run = await runLicensectl(["plan", "-m", manifests, "--out", out, ...emulatorArgs(url)], {
      cwd: work,
    });
    expect(run.code, run.err).toBe(0);
    return JSON.parse(readFileSync(join(work, out), "utf8")) as Record<string, unknown> & {
      waves: { changes: Record<string, unknown>[] }[];
    };
  };
  manifestDir("good", { "licenses.yaml": ONE_CHANGE });
  manifestDir("good-2", { "licenses.yaml": ONE_CHANGE.replace("maxRemovals: 1", "maxRemovals: 2") });
  manifestDir("good-other", {
    "licenses.yaml": ONE_CHANGE.replace("5b2e8c1a-7d4f-4e2a-9c3b-1f0a6d8e4c27", OTHER_TENANT_ID),
  });
  manifestDir("removals", {
    "licenses.yaml": BASE.replace(
      "  - user: ann@fabrikam.com\n    licenses:\n      - sku: ENTERPRISEPACK\n  - user: cat@fabrikam.com\n    licenses:\n      - sku: EMS\n",
      "",
    ),
  });
  const good = await plan(emulator.url, "good", "good.json");
  await plan(emulator.url, "good-2", "other-manifests.json");

  // The same tenant before ann held her license: a plan made there licenses her too, so it is stale here.
  const moved = await startEmulator({
    tenant: {
      ...fixture,
      users: fixture.users.map((u) =>
        u.upn === "ann@fabrikam.com" ? { ...u, licenses: [{ sku: "FLOW_FREE" }] } : u,
      ),
    },
    port: 0,
  });
  await plan(moved.url, "good", "stale.json");
  await moved.stop();
  const other = await startEmulator({
    tenant: { ...fixture, tenant: { ...fixture.tenant, id: OTHER_TENANT_ID } },
    port: 0,
  });
  await plan(other.url, "good-other", "other-tenant.json");
  await other.stop();

  const edited = structuredClone(good);
  (edited.waves[0]!.changes[0]! as { target: { name: string } }).target.name = "someone-else@fabrikam.com";
  writeFileSync(join(work, "edited.json"), JSON.stringify(edited, null, 2));
  // A careful forger recomputes the digest: take the protected break-glass account's license too.
  const breakglass = emulator.snapshot().users.find((u) => u.userPrincipalName.startsWith("breakglass"))!;
  const forged = structuredClone(good) as typeof good & { digest?: string };
  delete forged.digest;
  forged.waves[0]!.changes.push({
    ...forged.waves[0]!.changes[0]!,
    id: "forged",
    target: { kind: "user", id: breakglass.id, name: breakglass.userPrincipalName },
    add: [],
    remove: [{ skuId: breakglass.assignedLicenses[0]!.skuId, skuPartNumber: "ENTERPRISEPACK" }],
  });
  writeFileSync(join(work, "redigested.json"), serializePlan(forged as never));
  // ... or raises the plan's own removal limit so that apply lets it through.
  const removals = await plan(emulator.url, "removals", "removals.json");
  expect(removals.maxRemovals).toBe(1);
  const raised = { ...removals, maxRemovals: 100 } as typeof removals & { digest?: string };
  delete raised.digest;
  writeFileSync(join(work, "raised-limit.json"), serializePlan(raised as never));
  writeFileSync(join(work, "not-json.json"), "{ this is not json");
  writeFileSync(join(work, "future.json"), JSON.stringify({ ...good, formatVersion: 99 }));

  for (const c of RUNTIME_CASES) runs.set(c.name, c.setup());
  emulator.resetCounters();
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const runs = new Map<string, CaseRun>();

const ALL: (BadInput & { static?: true })[] = [
  ...MANIFEST_CASES.map((c) => ({ ...c, static: true as const })),
  ...RUNTIME_CASES,
];

describe("bad inputs are refused with a located error, exit 1 and zero writes", () => {
  it("has a corpus of at least 40 inputs, one entry per static case directory", () => {
    expect(ALL.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ALL.map((c) => c.name)).size).toBe(ALL.length);
    expect(readdirSync(join(CORPUS, "manifests")).sort()).toEqual(MANIFEST_CASES.map((c) => c.name).sort());
  });

  it.for(ALL)("$family: $name", async (badInput, { task }) => {
    const run: CaseRun = badInput.static
      ? { cwd: join(CORPUS, "manifests", badInput.name), args: ["-m", "."] }
      : runs.get(badInput.name)!;
    const globals = run.globals ?? emulatorArgs(emulator.url);
    const before = emulator.counters.writesAttempted;
    for (const command of badInput.commands ?? ["plan", "apply"]) {
      const args =
        command === "apply" && badInput.name !== "apply-without-approval"
          ? ["apply", "--auto-approve", ...run.args]
          : [command, ...run.args];
      const result = await runLicensectl([...args, ...globals], { cwd: run.cwd });
      const shown = `${args.join(" ")}\n--- stdout\n${result.out}\n--- stderr\n${result.err}`;
      expect(leakedSentinels(result.out + result.err), shown).toEqual([]);
      countFigures(task, { outputsScannedForSecrets: 2 });
      if (command === "plan" && badInput.planWarns) {
        expect(result.code, shown).toBe(0);
        expect(result.out, shown).toMatch(badInput.planWarns);
        continue;
      }
      expect(result.code, shown).toBe(1);
      expect(result.err, shown).toMatch(badInput.message);
      expect(result.err, shown).toMatch(badInput.where);
      // A refusal says so and never looks like an internal error.
      expect(result.err, shown).not.toMatch(/internal error|This is a bug/);
      expect(emulator.counters.writesAttempted - before, shown).toBe(0);
    }
    countFigures(task, {
      casesRun: 1,
      badInputsRefused: 1,
      writesOnRefusal: emulator.counters.writesAttempted - before,
    });
  });

  it.for([
    ["plan", "-m", "base", "--out", "link.json"],
    ["drift", "-m", "base", "--output", "link.json"],
    ["export", "--out", "exported", "--force"],
  ])("%s never writes through a symbolic link planted in the working tree", async (args, { task }) => {
    const dir = manifestDir(`links-${args[0]}`, { "victim.txt": "precious\n" });
    cpSync(join(CORPUS, "base"), join(dir, "base"), { recursive: true });
    symlinkSync(join(dir, "victim.txt"), join(dir, "link.json"));
    mkdirSync(join(dir, "exported"));
    symlinkSync(join(dir, "victim.txt"), join(dir, "exported", "tenant.yaml"));
    const before = emulator.counters.writesAttempted;
    const result = await runLicensectl([...args, ...emulatorArgs(emulator.url)], { cwd: dir });
    expect(result.code, result.err).toBe(1);
    expect(result.err).toMatch(
      /(link\.json|exported\/tenant\.yaml) is a symbolic link; licensectl does not write through links/,
    );
    expect(readFileSync(join(dir, "victim.txt"), "utf8")).toBe("precious\n");
    expect(emulator.counters.writesAttempted - before).toBe(0);
    countFigures(task, { casesRun: 1, badInputsRefused: 1 });
  });

  it("wrote nothing to the tenant across the whole corpus", () => {
    expect(emulator.counters.writesAttempted).toBe(0);
    expect(emulator.counters.requests).toBeGreaterThan(0);
  });
});
