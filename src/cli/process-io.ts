import { createInterface } from "node:readline/promises";
import type { CliIo } from "./io.js";

/** The real process as a CliIo: the one place that touches process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    ...(process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
    env: process.env,
    cwd: process.cwd(),
    async prompt(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
