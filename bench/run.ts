/**
 * `npm run bench`: generates synthetic tenants, serves each from the Graph
 * emulator in one child process and measures a licensectl client in another
 * (load, read, plan, render; requests by kind; peak RSS), reads again with
 * latency, applies a large change set under a write throttle, checks the
 * targets and writes bench/results.json and bench/RESULTS.md.
 *
 * Then loads one 65,000-user manifest file (of a 100,000-user tenant) beside
 * the `yaml` package's own parse of it, and runs `licensectl plan` on it.
 *
 * Then a 1,000,000-user tenant whose manifests license users through groups.
 *
 * Options: --sizes 1000,10000,100000  --apply 20:600,500:10000 (write limit/s:changes)
 *          --latency 50  --no-apply  --no-single-file  --no-million
 *          --only-million (the 1,000,000-user tenant alone: no --sizes, single file or apply)
 *          --cpu-prof DIR (profiles the clients)  --cpu-prof-emulator DIR (profiles the emulator hosts)
 *          --no-write (print only)
 */
import { fork, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ApplyReport, ApplyRequest } from "./apply-run.js";
import type { CliReport, CliRequest } from "./cli-run.js";
import type { LoadReport, LoadRequest } from "./load-run.js";
import type {
  ClientRequest,
  ClientResult,
  HostCounters,
  HostReady,
  HostRequest,
  HostSettled,
} from "./messages.js";
import {
  checkTargets,
  renderResultsMarkdown,
  type BenchResults,
  type SingleFileResult,
  type SizeResult,
} from "./results.js";

const here = fileURLToPath(new URL(".", import.meta.url));
/** The repository: this file runs from dist/bench/bench/. */
const root = join(here, "..", "..", "..");

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const sizes = (option("sizes") ?? "1000,10000,100000").split(",").map(Number);
/** Apply runs as write limit per second : changes; 20/s is Graph's limit per app and tenant. */
const applyRuns = (option("apply") ?? "20:600,500:10000").split(",").map((run) => {
  const [limit = NaN, changes = NaN] = run.split(":").map(Number);
  return { limit, changes };
});
/** Graph's write bucket holds 150 s of writes (3,000 writes per 150 s). */
const WRITE_WINDOW_SECONDS = 150;
const latencyMs = Number(option("latency") ?? 50);
const profileDir = option("cpu-prof");
const emulatorProfileDir = option("cpu-prof-emulator");
const onlyMillion = flag("only-million");
const SEED = 7;
/** The largest tenant: a million accounts, licensed through groups (universities, public sector). */
const MILLION = 1_000_000;
const GROUPS = 200;
/**
 * Unmeasured reads of the latency emulator before the measured ones: it
 * keeps a page (and users' texts) from the second time it is asked for on.
 */
const WARM_UP_READS = 2;
/** Heap of the process serving the tenants (MB). */
const HOST_HEAP_MB = 8192;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** `licensectl plan --format json` of these manifests against this Graph root. */
function planJson(url: string, manifestDir: string): CliRequest {
  return { args: ["plan", "-m", manifestDir, "--graph-url", url, "--auth", "none", "--format", "json"] };
}

/** Starts a child and resolves with its first message of `type`. */
function start<T extends { type: string }>(
  file: string,
  request: unknown,
  type: string,
  profile = false,
  dir = profileDir,
): { child: ChildProcess; first: Promise<T> } {
  const execArgv = [
    ...(profile && dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : []),
    // The tenant host holds two emulators of a million users and the users' kept JSON: room for them,
    // so that its collector does not slow the measured client down near the default heap limit.
    ...(file === "emulator-host.js" ? [`--max-old-space-size=${HOST_HEAP_MB}`, "--expose-gc"] : []),
  ];
  const child = fork(join(here, file), [JSON.stringify(request)], { execArgv, stdio: "inherit" });
  return { child, first: nextMessage<T>(child, type) };
}

function nextMessage<T extends { type: string }>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`${type}: child exited with ${code}`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

function exited(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
}

async function runClient(request: ClientRequest): Promise<ClientResult> {
  const { child, first } = start<ClientResult>("client-run.js", request, "result", true);
  const result = await first;
  await exited(child);
  return result;
}

/** The host's request counters, one per emulator, as they stand now. */
/** Has the tenant host collect its garbage, so that the warm-up's collections stay out of the measured read. */
async function settleHost(host: ChildProcess): Promise<void> {
  const reply = nextMessage<HostSettled>(host, "settled");
  host.send({ type: "settle" });
  await reply;
}

async function hostCounters(host: ChildProcess): Promise<HostCounters["counters"]> {
  const reply = nextMessage<HostCounters>(host, "counters");
  host.send({ type: "counters" });
  return (await reply).counters;
}

/** How one tenant size is measured. */
interface SizePlan {
  readonly users: number;
  /** How the manifests declare the licenses (default: every direct assignment, files of 5,000 users). */
  readonly shape?: HostRequest["shape"];
  /** Also read at latency one page after another (at 1,000,000 users that alone is a minute). */
  readonly sequentialLatencyRead: boolean;
}

async function measureSize({ users, shape, sequentialLatencyRead }: SizePlan): Promise<SizeResult> {
  const request: HostRequest = {
    users,
    groups: GROUPS,
    seed: SEED,
    latencies: [0, latencyMs],
    ...(shape ? { shape } : {}),
  };
  const label = `[${users}${shape?.groupsOnly ? ", group-based" : ""}]`;
  log(`${label} generating the tenant and its manifests, starting emulators ...`);
  const host = start<HostReady>("emulator-host.js", request, "ready", true, emulatorProfileDir);
  try {
    const ready = await host.first;
    const [plainUrl, slowUrl] = ready.urls as [string, string];
    log(`${label} ready in ${ready.setupMs} ms; measuring load, read, plan, render ...`);
    const client = await runClient({ url: plainUrl, manifestDir: ready.manifestDir, mode: "full" });
    // Graph's service is warm when a client reads. The emulator keeps pages and users' texts from the
    // second read of a tenant on, so the one that adds latency serves the tenant twice (unmeasured)
    // before the measured read, and then collects what that left behind.
    log(`${label} warming the emulator that adds ${latencyMs} ms per request ...`);
    for (let read = 0; read < WARM_UP_READS; read += 1)
      await runClient({ url: slowUrl, manifestDir: ready.manifestDir, mode: "read" });
    await settleHost(host.child);
    const warm = (await hostCounters(host.child))[1]!;
    log(`${label} reading again at ${latencyMs} ms per request ...`);
    const slow = await runClient({ url: slowUrl, manifestDir: ready.manifestDir, mode: "read" });
    const [counters, slowTotal] = (await hostCounters(host.child)) as [
      HostCounters["counters"][0],
      HostCounters["counters"][0],
    ];
    const slowCounters = { ...slowTotal, requests: slowTotal.requests - warm.requests };
    let sequential: SizeResult["latencySequential"];
    if (sequentialLatencyRead) {
      log(`${label} reading at ${latencyMs} ms per request, one page after another ...`);
      const one = await runClient({
        url: slowUrl,
        manifestDir: ready.manifestDir,
        mode: "read",
        readConcurrency: 1,
      });
      const after = (await hostCounters(host.child))[1]!;
      sequential = { latencyMs, client: one, httpRequests: after.requests - slowTotal.requests };
    }
    log(`${label} running licensectl plan --format json ...`);
    const cliRequest = planJson(plainUrl, ready.manifestDir);
    const cliRun = start<CliReport>("cli-run.js", cliRequest, "cli", true);
    const cli = await cliRun.first;
    await exited(cliRun.child);
    host.child.send({ type: "stop" });
    const { type: _t, urls: _u, manifestDir: _m, ...hostInfo } = ready;
    return {
      users,
      ...(shape?.groupsOnly ? { groupBased: true } : {}),
      host: hostInfo,
      client,
      counters,
      latency: { latencyMs, client: slow, httpRequests: slowCounters.requests },
      ...(sequential ? { latencySequential: sequential } : {}),
      cli,
    };
  } catch (error) {
    host.child.kill();
    throw error;
  }
}

/** Tenant and manifest of the single-file shape: an HR system's export of every account, in one file. */
const SINGLE_FILE = { users: 100_000, declaredUsers: 65_000 };
/** Loads and floors are run alternately this many times each; the least CPU time of each counts. */
const LOAD_ROUNDS = 3;

async function runLoad(request: LoadRequest): Promise<LoadReport> {
  const { child, first } = start<LoadReport>("load-run.js", request, "load", true);
  const report = await first;
  await exited(child);
  return report;
}

async function measureSingleFile(): Promise<SingleFileResult> {
  const { users, declaredUsers } = SINGLE_FILE;
  const request: HostRequest = {
    users,
    groups: GROUPS,
    seed: SEED,
    latencies: [0],
    shape: { declaredUsers, oneFile: true },
  };
  log(`[one file] generating a ${users}-user tenant and one ${declaredUsers}-user manifest file ...`);
  const host = start<HostReady>("emulator-host.js", request, "ready");
  try {
    const ready = await host.first;
    const loads: LoadReport[] = [];
    for (let round = 1; round <= LOAD_ROUNDS; round++) {
      log(`[one file] yaml's own parse, then licensectl's load, round ${round} of ${LOAD_ROUNDS} ...`);
      loads.push(await runLoad({ manifestDir: ready.manifestDir, mode: "floor" }));
      loads.push(await runLoad({ manifestDir: ready.manifestDir, mode: "load" }));
    }
    log(`[one file] licensectl plan --format json, in a fresh process ...`);
    const cliRequest = planJson(ready.urls[0]!, ready.manifestDir);
    const cliRun = start<CliReport>("cli-run.js", cliRequest, "cli", true);
    const cli = await cliRun.first;
    await exited(cliRun.child);
    host.child.send({ type: "stop" });
    return {
      users,
      declaredUsers,
      manifestFiles: ready.manifestFiles,
      manifestBytes: ready.manifestBytes,
      floors: loads.filter((l) => l.mode === "floor"),
      loads: loads.filter((l) => l.mode === "load"),
      cli,
    };
  } catch (error) {
    host.child.kill();
    throw error;
  }
}

async function measureApply(rate: number, changes: number): Promise<ApplyReport> {
  const request: ApplyRequest = {
    users: Math.ceil(changes * 1.2),
    changes,
    writesPerSecond: rate,
    windowSeconds: WRITE_WINDOW_SECONDS,
    seed: SEED,
  };
  log(`[apply] ${changes} changes under ${rate} writes/s (bucket of ${WRITE_WINDOW_SECONDS} s, drained) ...`);
  const { child, first } = start<ApplyReport>("apply-run.js", request, "apply");
  const report = await first;
  await exited(child);
  return report;
}

const began = performance.now();
// dist/bench is laid out like the package: the compiled sources find data/ and package.json one level up.
for (const entry of ["package.json", "data", "schemas"])
  cpSync(join(root, entry), join(root, "dist", "bench", entry), { recursive: true });
for (const dir of [profileDir, emulatorProfileDir]) if (dir) mkdirSync(dir, { recursive: true });

const results: SizeResult[] = [];
if (!onlyMillion)
  for (const users of sizes) results.push(await measureSize({ users, sequentialLatencyRead: true }));
if (!flag("no-million"))
  results.push(
    await measureSize({ users: MILLION, shape: { groupsOnly: true }, sequentialLatencyRead: false }),
  );
const singleFile = onlyMillion || flag("no-single-file") ? undefined : await measureSingleFile();
const applies: ApplyReport[] = [];
if (!onlyMillion && !flag("no-apply"))
  for (const run of applyRuns) applies.push(await measureApply(run.limit, run.changes));

const cpu = cpus();
const benchResults: BenchResults = {
  machine: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
  },
  date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
  durationS: Math.round((performance.now() - began) / 1000),
  layout:
    "The emulator serves each tenant from one child process (a second instance there adds 50 ms to every request for the latency reads, and serves the tenant twice, unmeasured, before them: a service is warm when clients read it, and that emulator keeps each page of users from the second time it is asked for on, serving it again byte for byte until the tenant changes, then collects its garbage before the measured reads); " +
    "the measured client runs licensectl's own modules (loadManifests, readLiveState, resolveDesiredState, planChanges, renderers) " +
    "in another child process, so its CPU time and peak RSS are its own. The apply runs client and throttled emulator in one process.",
  sizes: results,
  ...(singleFile ? { singleFile } : {}),
  ...(applies.length > 0 ? { applies } : {}),
  targets: checkTargets(results, applies, singleFile),
};
const markdown = renderResultsMarkdown(benchResults);
process.stdout.write(`\n${markdown}`);
if (!flag("no-write")) {
  writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify(benchResults, null, 2)}\n`);
  writeFileSync(join(root, "bench", "RESULTS.md"), `# Benchmark results\n\n${markdown}`);
  log(`\nWrote bench/results.json and bench/RESULTS.md in ${benchResults.durationS} s.`);
}
process.exitCode = benchResults.targets.every((t) => t.pass) ? 0 : 1;
