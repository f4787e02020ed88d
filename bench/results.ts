import type { EmulatorCounters } from "../src/emulator/index.js";
import { applyTargets, renderApplies } from "./apply-results.js";
import type { ApplyReport } from "./apply-run.js";
import type { CliReport } from "./cli-run.js";
import type { ClientResult, HostReady } from "./messages.js";
import { readTargets, renderReadTable } from "./read-results.js";
import { renderSingleFile, singleFileTargets, type SingleFileResult } from "./single-file-results.js";

export type { SingleFileResult } from "./single-file-results.js";

/** Everything measured for one tenant size. */
export interface SizeResult {
  readonly users: number;
  /** The manifests license users through groups only (the 1,000,000-user tenant). */
  readonly groupBased?: boolean;
  readonly host: Omit<HostReady, "type" | "urls" | "manifestDir">;
  /** The measured client against the emulator without latency. */
  readonly client: ClientResult;
  /** Requests the emulator without latency received from that client. */
  readonly counters: EmulatorCounters;
  /** The read alone against an emulator adding `latencyMs` to every request. */
  readonly latency: {
    readonly latencyMs: number;
    readonly client: ClientResult;
    readonly httpRequests: number;
  };
  /** The same read one page after another (read concurrency 1). */
  readonly latencySequential?: {
    readonly latencyMs: number;
    readonly client: ClientResult;
    readonly httpRequests: number;
  };
  /** `licensectl plan --format json` end to end in a fresh process. */
  readonly cli: CliReport;
}

/** One target of the issue, checked. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** bench/results.json */
export interface BenchResults {
  readonly machine: {
    readonly node: string;
    readonly platform: string;
    readonly cpuModel: string;
    readonly cores: number;
    readonly memoryGb: number;
  };
  readonly date: string;
  readonly durationS: number;
  readonly layout: string;
  readonly sizes: readonly SizeResult[];
  /** One large manifest file: load beside yaml's own parse, and plan end to end. */
  readonly singleFile?: SingleFileResult;
  /** Apply under Graph's write limit, one run per limit. */
  readonly applies?: readonly ApplyReport[];
  readonly targets: readonly TargetCheck[];
}

/** Wall time of read plus plan (catalog, name resolution, planner): what `plan` spends before rendering. */
export function readPlanMs(client: ClientResult): number {
  const p = client.phases;
  return (
    (p.read?.wallMs ?? 0) + (p.catalog?.wallMs ?? 0) + (p.resolve?.wallMs ?? 0) + (p.planner?.wallMs ?? 0)
  );
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Checks the targets; the time and memory ones on the largest tenant measured. */
export function checkTargets(
  sizes: readonly SizeResult[],
  applies: readonly ApplyReport[],
  singleFile?: SingleFileResult,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  // The group-based million has its own targets (read-results.ts).
  const largest = [...sizes].filter((x) => !x.groupBased).sort((a, b) => b.users - a.users)[0];
  if (largest) {
    const n = largest.users.toLocaleString("en-US");
    const total = readPlanMs(largest.client);
    checks.push({ target: `read + plan of ${n} users < 15 s`, measured: s(total), pass: total < 15_000 });
    const rss = largest.client.peakRssMb;
    checks.push({
      target: `peak RSS of ${n} users < 1 GB`,
      measured: `${Math.round(rss)} MB`,
      pass: rss < 1024,
    });
    const planner = largest.client.phases.planner?.wallMs ?? Infinity;
    checks.push({ target: `pure planner on ${n} users < 2 s`, measured: s(planner), pass: planner < 2_000 });
  }
  checks.push(...readTargets(sizes));
  for (const size of sizes) {
    checks.push({
      target: `licensectl plan on ${size.users.toLocaleString("en-US")}${size.groupBased ? " (group-based)" : ""} users succeeds`,
      measured: `exit ${size.cli.exitCode} in ${s(size.cli.wallMs)}`,
      pass: size.cli.exitCode === 0,
    });
  }
  if (singleFile) checks.push(...singleFileTargets(singleFile));
  checks.push(...applyTargets(applies));
  return checks;
}

const ms = (n: number | undefined): string =>
  n === undefined ? "-" : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
const wallCpu = (p: { wallMs: number; cpuMs: number } | undefined): string =>
  p ? `${ms(p.wallMs)} / ${ms(p.cpuMs)}` : "-";
const bytes = (n: number): string =>
  n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;

/** The results as markdown: machine, tenants, timings, requests, apply, targets. */
export function renderResultsMarkdown(results: BenchResults): string {
  const m = results.machine;
  const lines: string[] = [];
  lines.push(
    `Measured ${results.date} on ${m.cpuModel} (${m.cores} cores, ${m.memoryGb} GB), Node ${m.node}, ${m.platform}. ` +
      `${results.layout}`,
    "",
    "| Users | Groups (licensed) | SKUs | Changes | Manifests | Load manifests | Read | Catalog | Resolve names | Planner | Render text / md / json | Read + plan | Peak RSS |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const size of results.sizes) {
    const p = size.client.phases;
    const t = size.host.tenant;
    lines.push(
      `| ${t.users.toLocaleString("en-US")} | ${t.groups} (${t.licensedGroups}) | ${t.skus} | ${size.client.plan?.changes ?? "-"} | ${bytes(size.host.manifestBytes)} in ${size.host.manifestFiles} files | ${wallCpu(p.load)} | ${wallCpu(p.read)} | ${wallCpu(p.catalog)} | ${wallCpu(p.resolve)} | ${wallCpu(p.planner)} | ${ms(p.renderText?.wallMs)} / ${ms(p.renderMarkdown?.wallMs)} / ${ms(p.renderJson?.wallMs)} | ${ms(readPlanMs(size.client))} | ${Math.round(size.client.peakRssMb)} MB |`,
    );
  }
  lines.push(
    "",
    "Times are wall / CPU of the client process; Read + plan = read + catalog + resolve names + planner.",
    "",
    ...renderReadTable(results.sizes),
  );
  lines.push(
    "",
    "`licensectl plan --format json` end to end, in a fresh process against the same emulator (Node start-up and module loading included):",
    "",
    "| Users | Wall | CPU | Peak RSS | JSON plan | Exit code |",
    "|---:|---:|---:|---:|---:|---:|",
  );
  for (const size of results.sizes) {
    const c = size.cli;
    lines.push(
      `| ${size.users.toLocaleString("en-US")} | ${ms(c.wallMs)} | ${ms(c.cpuMs)} | ${Math.round(c.peakRssMb)} MB | ${bytes(c.stdoutBytes)} | ${c.exitCode} |`,
    );
  }
  if (results.singleFile) lines.push(...renderSingleFile(results.singleFile));
  lines.push(...renderApplies(results.applies ?? []));
  lines.push("", "| Target | Measured | Result |", "|---|---|---|");
  for (const check of results.targets)
    lines.push(`| ${check.target} | ${check.measured} | ${check.pass ? "PASS" : "FAIL"} |`);
  lines.push(
    "",
    "Reproduce with `npm run bench` (a few minutes; `npm run bench -- --sizes 1000,10000 --no-apply --no-single-file` for a quick run, " +
      "`-- --cpu-prof DIR` to profile the measured processes and `--cpu-prof-emulator DIR` the emulator hosts, `--no-million` to leave out the 1,000,000-user tenant, `--only-million` to measure it alone). " +
      "Read page after page, the read needs ceil(users/999) + ceil(groups/999) + 1 " +
      "(`$batch` of `/organization` and `/subscribedSkus`) + the `$batch` requests that carry the member pages of every group that is licensed or that the manifests name " +
      "(20 pages to a batch: the first page of every group, then the next pages of larger groups, round by round). " +
      "The partitioned read adds one `$batch` of counts (two or three where a range is too large to read alone) and, per range, " +
      "at most one partly filled last page.",
  );
  return `${lines.join("\n")}\n`;
}
