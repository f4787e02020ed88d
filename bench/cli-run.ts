/**
 * Child process that runs one licensectl command (e.g. `plan --format json`)
 * in-process, as the CLI entry point does, and reports its wall time since
 * the process started (module loading included), CPU time and peak RSS.
 * Output is counted, not kept.
 */
import type { CliIo } from "../src/cli/io.js";
import { peakRssMb } from "./measure.js";

/** What the CLI run is told to do. */
export interface CliRequest {
  /** The command line after `licensectl`. */
  readonly args: readonly string[];
  /** The working directory (default: this process's). */
  readonly cwd?: string;
}

/** What it reports. */
export interface CliReport {
  readonly type: "cli";
  readonly exitCode: number;
  /** Since the process started: Node start-up and module loading included. */
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly stdoutBytes: number;
  readonly stderrTail: string;
}

const request = JSON.parse(process.argv[2] ?? "{}") as CliRequest;
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
  cwd: request.cwd ?? process.cwd(),
};
const exitCode = await runCli([...request.args], io);
const cpu = process.cpuUsage();
const report: CliReport = {
  type: "cli",
  exitCode,
  wallMs: Math.round(performance.now()),
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  peakRssMb: peakRssMb(),
  stdoutBytes,
  stderrTail: exitCode === 0 ? "" : stderr,
};
process.send!(report, () => process.disconnect());
