/**
 * Child process of `npm run bench:tenants`: one `licensectl plan --format
 * json` run, in-process as the CLI entry point runs it, over every tenant
 * (`--all`) or one tenant's manifests (`-m tenants/NAME`). Reports its wall
 * time since the process started (Node start-up and module loading
 * included), CPU time and peak RSS. Output is counted, not kept.
 */
import type { CliIo } from "../src/cli/io.js";
import { peakRssMb } from "./measure.js";

export interface TenantsClientRequest {
  readonly url: string;
  readonly root: string;
  /** Undefined: `plan --all`; else this tenant alone. */
  readonly tenant?: string;
}

export interface TenantsClientReport {
  readonly type: "client";
  readonly exitCode: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly stdoutBytes: number;
  readonly stderrTail: string;
}

const request = JSON.parse(process.argv[2] ?? "{}") as TenantsClientRequest;
const { runCli } = await import("../src/cli/run.js");
let stdoutBytes = 0;
let stderr = "";
const io: CliIo = {
  stdout: (text) => void (stdoutBytes += Buffer.byteLength(text)),
  stderr: (text) => void (stderr = (stderr + text).slice(-2000)),
  stdoutIsTTY: false,
  stderrIsTTY: false,
  stdinIsTTY: false,
  env: {},
  cwd: request.root,
};
const target = request.tenant === undefined ? ["--all"] : ["-m", `tenants/${request.tenant}`];
const exitCode = await runCli(
  ["plan", ...target, "--graph-url", request.url, "--auth", "none", "--format", "json", "--quiet"],
  io,
);
const cpu = process.cpuUsage();
const report: TenantsClientReport = {
  type: "client",
  exitCode,
  wallMs: Math.round(performance.now()),
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  peakRssMb: peakRssMb(),
  stdoutBytes,
  stderrTail: exitCode === 0 ? "" : stderr,
};
process.send!(report, () => process.disconnect());
