import { createInterface } from "node:readline/promises";
import type { CliIo } from "./io.js";

/**
 * A writer for a process stream that stops writing once the reader has gone
 * (`licensectl --help | head`, `plan | less` quit early). The reader leaving
 * is not an error of ours: the command goes on to its end (an apply is never
 * cut short halfway because its log was closed) and exits with its own code.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let readerGone = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") {
      readerGone = true;
      return;
    }
    throw error;
  });
  return (text) => {
    if (!readerGone) stream.write(text);
  };
}

/** The real process as a CliIo: the one place that touches process streams. */
export function processIo(): CliIo {
  return {
    stdout: pipeWriter(process.stdout),
    stderr: pipeWriter(process.stderr),
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
