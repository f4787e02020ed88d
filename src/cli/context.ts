import { resolve } from "node:path";
import type { Command } from "commander";
import { AUTH_METHODS, CLOUDS, MAX_READ_CONCURRENCY, type GlobalOptions } from "./global-options.js";
import type { CliIo } from "./io.js";
import { createReadProgressReporter, type ReadProgressReporter } from "./read-progress.js";
import type { ReadProgressEvent } from "../graph/read-live-state.js";
import { LicensectlError } from "../model/errors.js";
import { wholeNumber } from "./choice.js";

/** What a command's action needs: the io and the parsed global options. */
export interface CliContext {
  readonly io: CliIo;
  /** Global options as parsed for the running command. */
  globals(command: Command): GlobalOptions;
  /** Whether to colour text written to stdout / stderr (TTY, no NO_COLOR, no --no-color). */
  useColor(command: Command, stream: "stdout" | "stderr"): boolean;
  /** Progress line on stderr, unless --quiet. */
  progress(command: Command, line: string): void;
  /** How to read the tenant: --read-concurrency, and live progress of the read on stderr. */
  readOptions(command: Command): {
    readonly concurrency?: number;
    readonly onProgress: (event: ReadProgressEvent) => void;
  };
}

export function createContext(io: CliIo): CliContext {
  const globals = (command: Command): GlobalOptions => {
    const raw = command.optsWithGlobals() as Record<string, unknown>;
    const cloud = String(raw.cloud ?? "global");
    const auth = String(raw.auth ?? "default");
    if (!(CLOUDS as readonly string[]).includes(cloud)) {
      throw new LicensectlError("bad-option", `--cloud ${cloud} is not a cloud licensectl knows`, {
        hint: `Use one of: ${CLOUDS.join(", ")}.`,
      });
    }
    if (!(AUTH_METHODS as readonly string[]).includes(auth)) {
      throw new LicensectlError("bad-option", `--auth ${auth} is not a supported credential`, {
        hint: `Use one of: ${AUTH_METHODS.join(", ")}.`,
      });
    }
    const readConcurrency = Number(raw.readConcurrency ?? 1);
    if (!Number.isInteger(readConcurrency) || readConcurrency < 1 || readConcurrency > MAX_READ_CONCURRENCY) {
      throw new LicensectlError(
        "bad-option",
        `--read-concurrency ${String(raw.readConcurrency)} is not a whole number from 1 to ${MAX_READ_CONCURRENCY}`,
        { hint: "Use 1 to read the users page after page, or more to read that many ranges at once." },
      );
    }
    return {
      ...(typeof raw.tenantId === "string" ? { tenantId: raw.tenantId } : {}),
      ...(typeof raw.graphUrl === "string" ? { graphUrl: raw.graphUrl } : {}),
      // Resolved here, once, so every command reads the same file for the same flag.
      ...(typeof raw.catalog === "string" ? { catalog: resolve(io.cwd, raw.catalog) } : {}),
      cloud: cloud as GlobalOptions["cloud"],
      auth: auth as GlobalOptions["auth"],
      color: raw.color !== false,
      quiet: raw.quiet === true,
      verbose: raw.verbose === true,
      ...(raw.consistencyWindow !== undefined
        ? { consistencyWindowMs: wholeNumber("--consistency-window", raw.consistencyWindow) }
        : {}),
      readConcurrency,
    };
  };
  // The live read line, if one is on screen: cleared before any other progress line.
  let reading: ReadProgressReporter | undefined;
  return {
    io,
    globals,
    useColor(command, stream) {
      if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
      if (!globals(command).color) return false;
      return stream === "stdout" ? io.stdoutIsTTY : io.stderrIsTTY;
    },
    progress(command, line) {
      reading?.clear();
      if (!globals(command).quiet) io.stderr(`${line}\n`);
    },
    readOptions(command) {
      const options = globals(command);
      reading?.clear();
      const reporter = createReadProgressReporter(io, { quiet: options.quiet });
      reading = reporter;
      return {
        ...(options.readConcurrency !== undefined ? { concurrency: options.readConcurrency } : {}),
        onProgress: reporter.onProgress,
      };
    },
  };
}
