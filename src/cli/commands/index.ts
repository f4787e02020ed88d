import type { Command } from "commander";
import type { CommandAction } from "../run.js";
import { register as validate } from "./validate.js";
import { register as emulator } from "./emulator.js";
import { register as drift } from "./drift.js";
import { register as adopt } from "./adopt.js";
import { register as plan } from "./plan.js";
import { register as apply } from "./apply.js";
import { register as exportCommand } from "./export.js";
import { register as skus } from "./skus.js";
import { register as combine } from "./combine.js";
import { register as reclaim } from "./reclaim.js";

/** Wraps a command's action so its exit code reaches runCli. */
export type Bind = (action: CommandAction) => (...args: unknown[]) => Promise<void>;

/** Adds one subcommand to the program. */
export type RegisterCommand = (program: Command, bind: Bind) => void;

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  validate,
  plan,
  apply,
  drift,
  adopt,
  combine,
  exportCommand,
  reclaim,
  skus,
  emulator,
];
