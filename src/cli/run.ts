import { Command, CommanderError } from "commander";
import { versionLabel } from "../version.js";
import { formatProblem } from "../model/problem.js";
import { isLicensectlError } from "../model/errors.js";
import { createContext, type CliContext } from "./context.js";
import { EXIT_ERROR, EXIT_OK } from "./exit-codes.js";
import { addGlobalOptions } from "./global-options.js";
import type { CliIo } from "./io.js";
import { COMMANDS } from "./commands/index.js";

/** A command's action: resolves with the exit code. */
export type CommandAction = (context: CliContext, command: Command) => Promise<number>;

/**
 * Runs licensectl with `argv` (without node and script) and resolves with the
 * exit code. The only place that turns errors into messages and exit codes.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context = createContext(io);
  let exitCode = EXIT_OK;
  const program = new Command("licensectl")
    .description("Microsoft 365 / Entra ID licenses as code")
    .version(versionLabel(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  addGlobalOptions(program);
  program.addHelpText(
    "after",
    `
Try it with no tenant:  npm run demo   (or: licensectl emulator, then --graph-url http://127.0.0.1:5555 --auth none)
Exit codes: 0 success, nothing to do; 1 error or refused; 2 with --detailed-exitcode: changes pending or drift found.`,
  );
  for (const register of COMMANDS) {
    register(program, (action) => async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      exitCode = await action(context, command);
    });
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    io.stderr(describeError(error, argv.includes("--verbose")));
    return EXIT_ERROR;
  }
}

/** User errors as `error: message` + hint + located problems; anything else is a bug. */
export function describeError(error: unknown, verbose: boolean): string {
  if (isLicensectlError(error)) {
    const lines = [`error: ${error.message}`];
    for (const problem of error.problems) lines.push(formatProblem(problem));
    if (error.hint) lines.push(`hint: ${error.hint}`);
    if (error.source === "internal")
      lines.push("This is a bug in licensectl; please report it with the --verbose output.");
    return `${lines.join("\n")}\n`;
  }
  const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : "";
  return (
    `internal error: ${error instanceof Error ? error.message : String(error)}${stack}\n` +
    "This is a bug in licensectl; please report it with the --verbose output.\n"
  );
}
