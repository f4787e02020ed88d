/**
 * `npm run bench:tenants`: a repository of 50 tenants of 1,000 users each,
 * served by one emulator. Measures one `licensectl plan --all` (four tenants
 * at a time) against 50 single-tenant `licensectl plan -m tenants/NAME` runs
 * in sequence, each its own process as a loop in a pipeline would run them:
 * wall time, CPU time and peak RSS. Writes bench/tenants-results.json and
 * the "Many tenants" section of bench/RESULTS.md.
 *
 * Options: --tenants 50  --users 1000  --groups 50  --no-write
 */
import { fork, type ChildProcess } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliReport } from "./cli-run.js";
import type { TenantsHostReady, TenantsHostRequest } from "./tenants-host.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..", "..");
const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const request: TenantsHostRequest = {
  tenants: option("tenants", 50),
  users: option("users", 1000),
  groups: option("groups", 50),
};
const log = (line: string): void => void process.stderr.write(`${line}\n`);
// dist/bench is laid out like the package: the compiled sources find data/ and package.json one level up.
for (const entry of ["package.json", "data", "schemas"])
  cpSync(join(root, entry), join(root, "dist", "bench", entry), { recursive: true });

function first<T extends { type: string }>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    child.on("message", (message: T) => message.type === type && resolve(message));
    child.once("exit", (code) => reject(new Error(`${type}: child exited with ${code}`)));
  });
}

/** One `licensectl plan --format json` in a fresh process: every tenant (`--all`), or `tenant` alone. */
async function client(body: { url: string; root: string; tenant?: string }): Promise<CliReport> {
  const target = body.tenant === undefined ? ["--all"] : ["-m", `tenants/${body.tenant}`];
  const args = ["plan", ...target, "--graph-url", body.url, "--auth", "none", "--format", "json", "--quiet"];
  const child = fork(join(here, "cli-run.js"), [JSON.stringify({ args, cwd: body.root })], {
    stdio: "inherit",
  });
  const report = await first<CliReport>(child, "cli");
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
  if (report.exitCode !== 0)
    throw new Error(`plan ${body.tenant ?? "--all"} exited ${report.exitCode}: ${report.stderrTail}`);
  return report;
}

log(`generating ${request.tenants} tenants of ${request.users} users and one emulator serving them ...`);
const host = fork(join(here, "tenants-host.js"), [JSON.stringify(request)], { stdio: "inherit" });
try {
  const ready = await first<TenantsHostReady>(host, "ready");
  log(`ready in ${ready.setupMs} ms; licensectl plan --all ...`);
  const wallStarted = performance.now();
  const all = await client({ url: ready.url, root: ready.root });
  const allWallMs = Math.round(performance.now() - wallStarted);
  log(
    `plan --all: ${allWallMs} ms, peak ${all.peakRssMb} MB; now ${ready.names.length} single-tenant runs in sequence ...`,
  );
  const singles: CliReport[] = [];
  const seqStarted = performance.now();
  for (const name of ready.names)
    singles.push(await client({ url: ready.url, root: ready.root, tenant: name }));
  const seqWallMs = Math.round(performance.now() - seqStarted);
  host.send({ type: "stop" });
  const results = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "",
      totalMemMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
    },
    tenants: request.tenants,
    usersPerTenant: request.users,
    groupsPerTenant: request.groups,
    all: {
      wallMs: allWallMs,
      cpuMs: all.cpuMs,
      peakRssMb: all.peakRssMb,
      jsonBytes: all.stdoutBytes,
      tenantConcurrency: 4,
    },
    sequence: {
      wallMs: seqWallMs,
      cpuMs: singles.reduce((s, r) => s + r.cpuMs, 0),
      peakRssMb: Math.max(...singles.map((r) => r.peakRssMb)),
      medianRunWallMs: singles.map((r) => r.wallMs).sort((a, b) => a - b)[Math.floor(singles.length / 2)],
    },
  };
  log(JSON.stringify(results, null, 2));
  if (!process.argv.includes("--no-write")) {
    writeFileSync(join(root, "bench", "tenants-results.json"), `${JSON.stringify(results, null, 2)}\n`);
    const section = [
      "<!-- tenants-bench:start -->",
      "## Many tenants (`npm run bench:tenants`)",
      "",
      `${results.tenants} tenants of ${results.usersPerTenant.toLocaleString("en-US")} users (${results.groupsPerTenant} groups each) in one repository, served by one emulator; ` +
        `plans as JSON. Measured ${results.measuredAt.slice(0, 10)} on ${results.machine.cpus} CPUs (${results.machine.cpuModel}), Node ${results.machine.node}, a shared machine.`,
      "",
      "| run | wall time | CPU time | peak RSS |",
      "| --- | --: | --: | --: |",
      `| one \`plan --all\` (4 tenants at a time) | ${(results.all.wallMs / 1000).toFixed(1)} s | ${(results.all.cpuMs / 1000).toFixed(1)} s | ${results.all.peakRssMb} MB |`,
      `| ${results.tenants} × \`plan -m tenants/NAME\` in sequence | ${(results.sequence.wallMs / 1000).toFixed(1)} s | ${(results.sequence.cpuMs / 1000).toFixed(1)} s | ${results.sequence.peakRssMb} MB (largest single run) |`,
      "",
      `Wall time of one single-tenant run (median, Node start-up included): ${(results.sequence.medianRunWallMs! / 1000).toFixed(2)} s.`,
      "<!-- tenants-bench:end -->",
      "",
    ].join("\n");
    const path = join(root, "bench", "RESULTS.md");
    const text = readFileSync(path, "utf8");
    const start = text.indexOf("<!-- tenants-bench:start -->");
    const end = text.indexOf("<!-- tenants-bench:end -->");
    const next =
      start >= 0 && end > start
        ? text.slice(0, start) + section + text.slice(end + "<!-- tenants-bench:end -->\n".length)
        : `${text.trimEnd()}\n\n${section}`;
    writeFileSync(path, next);
  }
} catch (error) {
  host.kill();
  throw error;
}
