import type { CliReport } from "./cli-run.js";
import type { LoadReport } from "./load-run.js";

/** The single-file shape: one large manifest file, loaded beside yaml's own parse, then planned. */
export interface SingleFileResult {
  readonly users: number;
  readonly declaredUsers: number;
  readonly manifestFiles: number;
  readonly manifestBytes: number;
  /** The `yaml` package's own parse of the files, one fresh process per run. */
  readonly floors: readonly LoadReport[];
  /** licensectl's load of the same files, one fresh process per run. */
  readonly loads: readonly LoadReport[];
  /** `licensectl plan --format json` end to end in a fresh process. */
  readonly cli: CliReport;
}

/** The plan's peak RSS must stay within this, end to end. */
export const SINGLE_FILE_RSS_MB = 512;
/** Positions, schema checks and merging may add this much to yaml's own parse. */
export const LOAD_OVER_FLOOR = 1.2;

/** The run with the least CPU time: the one least disturbed by other work on the machine. */
const best = (runs: readonly LoadReport[]): LoadReport | undefined =>
  [...runs].sort((a, b) => a.timing.cpuMs - b.timing.cpuMs)[0];

/** Load CPU time over floor CPU time, each at its best run. */
export function loadRatio(result: SingleFileResult): number {
  const floor = best(result.floors)?.timing.cpuMs ?? NaN;
  const load = best(result.loads)?.timing.cpuMs ?? NaN;
  return load / floor;
}

const n = (x: number): string => x.toLocaleString("en-US");
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** The targets of the single-file shape. */
export function singleFileTargets(
  result: SingleFileResult,
): { readonly target: string; readonly measured: string; readonly pass: boolean }[] {
  const { cli } = result;
  const ratio = loadRatio(result);
  const floor = best(result.floors);
  const load = best(result.loads);
  return [
    {
      target: `licensectl plan on ${n(result.users)} users with one ${n(result.declaredUsers)}-user manifest file: peak RSS <= ${SINGLE_FILE_RSS_MB} MB`,
      measured: `${Math.round(cli.peakRssMb)} MB, exit ${cli.exitCode} in ${s(cli.wallMs)}`,
      pass: cli.exitCode === 0 && cli.peakRssMb <= SINGLE_FILE_RSS_MB,
    },
    {
      target: `load of the ${mb(result.manifestBytes)} manifest <= ${LOAD_OVER_FLOOR} x yaml's own parse of it (CPU time)`,
      measured: `${ratio.toFixed(2)} x (${s(load?.timing.cpuMs ?? NaN)} / ${s(floor?.timing.cpuMs ?? NaN)})`,
      pass: ratio <= LOAD_OVER_FLOOR,
    },
  ];
}

/** Markdown lines describing the single-file shape. */
export function renderSingleFile(result: SingleFileResult): string[] {
  const row = (what: string, runs: readonly LoadReport[]) =>
    `| ${what} | ${runs.map((r) => `${s(r.timing.cpuMs)} / ${s(r.timing.wallMs)}`).join(" · ")} | ${Math.max(...runs.map((r) => Math.round(r.peakRssMb)))} MB |`;
  const { cli } = result;
  return [
    "",
    `One manifest file of ${n(result.declaredUsers)} users (${mb(result.manifestBytes)}; ${result.manifestFiles} files in all with tenant.yaml and groups.yaml) for a ${n(result.users)}-user tenant, as an HR system's export of every account would be. ` +
      "Each run is a fresh process; the floor is the `yaml` package's own parse of the files (`parseAllDocuments` and `toJS`: text to plain data, nothing else), the load is licensectl's (UTF-8 check, parse in pieces with source positions, schema checks, merging):",
    "",
    "| Run | CPU / wall, each run | Peak RSS (highest) |",
    "|---|---|---:|",
    row("yaml's own parse (floor)", result.floors),
    row("licensectl load", result.loads),
    "",
    `Load / floor at the best run of each: ${loadRatio(result).toFixed(2)} (CPU time; wall times swing with other work on the shared machine). ` +
      `\`licensectl plan --format json\` on it, end to end in a fresh process: ${s(cli.wallMs)} wall, ${s(cli.cpuMs)} CPU, peak RSS ${Math.round(cli.peakRssMb)} MB, exit ${cli.exitCode}.`,
  ];
}
