import { resolve } from "node:path";
import type { Command } from "commander";
import { AUTH_METHODS, CLOUDS, type GlobalOptions } from "./global-options.js";
import type { CliIo } from "./io.js";
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
    };
  };
  return {
    io,
    globals,
    useColor(command, stream) {
      if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
      if (!globals(command).color) return false;
      return stream === "stdout" ? io.stdoutIsTTY : io.stderrIsTTY;
    },
    progress(command, line) {
      if (!globals(command).quiet) io.stderr(`${line}\n`);
    },
  };
}
