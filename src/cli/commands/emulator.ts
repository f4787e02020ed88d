import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import {
  generateTenant,
  type GenerateTenantOptions,
  startEmulator,
  type EmulatorOptions,
  type TenantFixture,
  type WriteThrottle,
} from "../../emulator/index.js";
import { LicensectlError } from "../../model/errors.js";
import { EXIT_OK } from "../exit-codes.js";
import type { RegisterCommand } from "./index.js";

/** The example tenant shipped with the package (examples/ is in its files). */
const BUNDLED_EXAMPLE = fileURLToPath(new URL("../../../examples/tenant.yaml", import.meta.url));

interface EmulatorCliOptions {
  tenant?: string[];
  port: string;
  state?: string;
  latency?: string;
  throttle?: string;
  burst?: string;
  writeLimit?: string;
  drained?: boolean;
  faults?: string;
  generate?: string;
  groups?: string;
  skus?: string;
  economics?: boolean;
  seed?: string;
  groupDelay?: string;
  consistencyLag?: string;
  resourceUnits?: boolean;
}

const number = (
  flag: string,
  text: string,
  { min = 0, integer = true }: { min?: number; integer?: boolean } = {},
): number => {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new LicensectlError("bad-option", `${flag} ${text} is not a valid value`, {
      hint: `${flag} takes a ${integer ? "whole " : ""}number >= ${min}.`,
    });
  }
  return value;
};

type FaultSettings = NonNullable<EmulatorOptions["faults"]>;

/** `--faults error=0.05,drop=0.01,seed=7` -> fault settings. */
export function parseFaultSpec(spec: string): FaultSettings {
  const faults: { -readonly [K in keyof FaultSettings]: FaultSettings[K] } = {};
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key = "", value = ""] = part.split("=").map((s) => s.trim());
    if (key === "error" || key === "errorRate")
      faults.errorRate = number(`--faults ${key}`, value, { integer: false });
    else if (key === "drop" || key === "dropRate")
      faults.dropRate = number(`--faults ${key}`, value, { integer: false });
    else if (key === "batch" || key === "batchFailureRate")
      faults.batchFailureRate = number(`--faults ${key}`, value, { integer: false });
    else if (key === "lost")
      // Graph's gateway timing out after the write was committed: carried out, answered 504.
      faults.lostWrites = {
        rate: number(`--faults ${key}`, value, { integer: false }),
        carriedOut: true,
        answer: 504,
      };
    else if (key === "seed") faults.seed = number("--faults seed", value);
    else
      throw new LicensectlError("bad-option", `--faults: unknown setting "${key}"`, {
        hint: "Use error=RATE, drop=RATE, batch=RATE, lost=RATE and seed=N, e.g. --faults error=0.05,drop=0.01,seed=7.",
      });
  }
  for (const rate of [faults.errorRate, faults.dropRate, faults.batchFailureRate, faults.lostWrites?.rate]) {
    if (rate !== undefined && rate > 1)
      throw new LicensectlError("bad-option", "--faults rates are shares between 0 and 1", {
        hint: "e.g. error=0.05 for 5%.",
      });
  }
  return faults;
}

/**
 * The write throttle from `--throttle`/`--burst` or `--write-limit W/S` (a
 * bucket of W writes refilled over S seconds, Graph's shape), and `--drained`.
 */
export function writeThrottle(
  options: Pick<EmulatorCliOptions, "throttle" | "burst" | "writeLimit" | "drained">,
): WriteThrottle | undefined {
  if (options.writeLimit !== undefined && (options.throttle !== undefined || options.burst !== undefined))
    throw new LicensectlError("bad-option", "--write-limit excludes --throttle and --burst", {
      hint: "--write-limit 3000/150 is --throttle 20 --burst 3000; give one form.",
    });
  let throttle: WriteThrottle | undefined;
  if (options.writeLimit !== undefined) {
    const match = /^\s*([^/]+)\/([^/]+)\s*$/.exec(options.writeLimit);
    if (match === null)
      throw new LicensectlError("bad-option", `--write-limit ${options.writeLimit} is not a valid value`, {
        hint: "--write-limit takes WRITES/SECONDS, e.g. 3000/150 (Graph's limit per app and tenant).",
      });
    const writes = number("--write-limit writes", match[1]!, { min: 1 });
    const seconds = number("--write-limit seconds", match[2]!, { min: 0.001, integer: false });
    throttle = { writesPerSecond: writes / seconds, burst: writes };
  } else if (options.throttle !== undefined) {
    throttle = {
      writesPerSecond: number("--throttle", options.throttle, { min: 1, integer: false }),
      ...(options.burst !== undefined ? { burst: number("--burst", options.burst, { min: 1 }) } : {}),
    };
  }
  if (options.drained === true) {
    if (throttle === undefined)
      throw new LicensectlError("bad-option", "--drained needs --write-limit or --throttle", {
        hint: "e.g. --write-limit 3000/150 --drained.",
      });
    throttle = { ...throttle, startEmpty: true };
  }
  return throttle;
}

/** `--tenant` files, a directory standing for the *.yaml / *.yml fixtures in it. */
function fixtureFiles(paths: readonly string[], cwd: string): string[] {
  return paths.flatMap((path) => {
    const full = resolve(cwd, path);
    if (!existsSync(full) || !statSync(full).isDirectory()) return [full];
    const found = readdirSync(full)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(full, name));
    if (found.length === 0)
      throw new LicensectlError("fixture-unreadable", `${path} holds no *.yaml tenant fixture`, {
        hint: "Pass tenant fixture files, or a directory of them.",
      });
    return found;
  });
}

/** The generator's options from `--generate` and the flags that shape it; undefined without `--generate`. */
export function generateOptions(
  options: Pick<EmulatorCliOptions, "generate" | "groups" | "skus" | "economics">,
  seed: number,
): GenerateTenantOptions | undefined {
  if (options.generate === undefined) {
    const shaping = (["groups", "skus", "economics"] as const).find((name) => options[name] !== undefined);
    if (shaping)
      throw new LicensectlError("bad-option", `--${shaping} shapes a generated tenant and needs --generate`, {
        hint: "Add --generate <users>, or leave --groups, --skus and --economics out when serving a fixture.",
      });
    return undefined;
  }
  return {
    users: number("--generate", options.generate, { min: 1 }),
    seed,
    ...(options.groups !== undefined ? { groups: number("--groups", options.groups) } : {}),
    ...(options.skus !== undefined ? { skus: number("--skus", options.skus, { min: 1 }) } : {}),
    ...(options.economics
      ? { subscriptions: "varied" as const, departments: true, signInActivity: true }
      : {}),
  };
}

export const register: RegisterCommand = (program, bind) => {
  program
    .command("emulator")
    .description("serve a local Microsoft Graph emulator of the licensing surface (no tenant, no network)")
    .option(
      "--tenant <file>",
      "tenant fixture YAML, or a directory of them; repeat to serve several tenants, told apart by their tokens' tenant (default: examples/tenant.yaml if present, else a small generated tenant)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--generate <users>", "serve a synthetic tenant of this many users instead of a fixture")
    .option("--groups <n>", "with --generate: how many groups (default about one per 400 users, 2..50)")
    .option("--skus <n>", "with --generate: how many SKUs from the catalog (default 6, at most 10)")
    .option(
      "--economics",
      "with --generate: subscriptions renewing within the year (a trial, one in Warning), departments and sign-in activity, to try renewals, idle seats and reclaim",
    )
    .option("--seed <n>", "seed of the generated tenant and of every random choice", "1")
    .option("--port <n>", "TCP port on 127.0.0.1 (0 = any free port)", "5555")
    .option(
      "--state <file>",
      "save the tenant to this JSON file after changes; when it exists, serve it instead of the fixture",
    )
    .option("--latency <ms>", "latency added to every request")
    .option("--throttle <writes-per-sec>", "throttle writes: 429 with Retry-After beyond this rate")
    .option("--burst <n>", "writes allowed at once before --throttle applies (default: one second's worth)")
    .option(
      "--write-limit <writes/seconds>",
      "Graph's write limit per app and tenant as a token bucket, e.g. 3000/150 (Graph's: 3,000 writes per 150 s)",
    )
    .option("--drained", "start with the write bucket empty, as after an earlier large apply")
    .option(
      "--faults <spec>",
      "random faults, e.g. error=0.05,drop=0.01,batch=0.02,lost=0.05,seed=7 (503/504, dropped connections, whole $batch refused, writes carried out but answered 504)",
    )
    .option(
      "--resource-units",
      "throttle every request, reads included, by Graph's resource-unit costs and limits (x-ms-resource-unit, 429)",
    )
    .option(
      "--consistency-lag <ms>",
      "eventual consistency: reads may show users, groups and SKUs up to this old (default 0: always current)",
    )
    .option(
      "--group-delay <ms>",
      "delay of each group-processing step (0 = done before assignLicense answers)",
      "50",
    )
    .addHelpText(
      "after",
      `
The emulator binds 127.0.0.1 only and runs until Ctrl+C (SIGINT) or SIGTERM.
Point licensectl at it with --graph-url and --auth none:

  $ licensectl emulator --tenant examples/tenant.yaml --state .emulator-state.json
  $ licensectl plan -m examples/manifests --graph-url http://127.0.0.1:5555 --auth none

Several tenants at once (a fixture each), told apart by the tenant of each
request's access token, which /{tenantId}/oauth2/v2.0/token issues:

  $ licensectl emulator --tenant examples/multi-tenant/emulator/
  $ licensectl plan --all --graph-url http://127.0.0.1:5555 --auth none

Throttling and faults are off unless asked for:

  $ licensectl emulator --generate 100000 --throttle 50 --faults error=0.02,seed=7
  $ licensectl emulator --generate 5000 --economics     # renewals, idle seats, reclaim
  $ licensectl emulator --write-limit 3000/150 --drained
  $ licensectl emulator --resource-units --consistency-lag 2000
`,
    )
    .action(
      bind(async (context, command: Command) => {
        const options = command.opts<EmulatorCliOptions>();
        const fixtures = options.tenant ?? [];
        if (fixtures.length > 0 && options.generate)
          throw new LicensectlError("bad-option", "--tenant and --generate exclude each other", {
            hint: "Serve either a fixture file or a generated tenant.",
          });
        const seed = number("--seed", options.seed ?? "1");
        let tenant: TenantFixture | string;
        const files = fixtureFiles(fixtures, context.io.cwd);
        const generated = generateOptions(options, seed);
        if (files.length > 0) tenant = files[0]!;
        else if (generated) tenant = generateTenant(generated);
        else {
          const example = [resolve(context.io.cwd, "examples", "tenant.yaml"), BUNDLED_EXAMPLE].find((p) =>
            existsSync(p),
          );
          tenant = example ?? generateTenant({ users: 50, seed });
        }
        const throttle = writeThrottle(options);
        const emulator = await startEmulator({
          tenant,
          ...(files.length > 1 ? { tenants: files.slice(1) } : {}),
          port: number("--port", options.port),
          seed,
          groupProcessingDelayMs: number("--group-delay", options.groupDelay ?? "50"),
          ...(options.state ? { statePath: resolve(context.io.cwd, options.state) } : {}),
          ...(options.latency ? { latencyMs: number("--latency", options.latency) } : {}),
          ...(throttle ? { throttle } : {}),
          ...(options.faults ? { faults: { seed, ...parseFaultSpec(options.faults) } } : {}),
          ...(options.resourceUnits ? { resourceUnits: true } : {}),
          ...(options.consistencyLag
            ? { consistencyLagMs: number("--consistency-lag", options.consistencyLag) }
            : {}),
        });
        const held = emulator.tenantIds.map((id) => {
          const snapshot = emulator.snapshot(id);
          const which = emulator.tenantIds.length > 1 ? ` ${id}` : "";
          return `tenant ${snapshot.tenant.displayName}${which}, ${snapshot.users.length} users`;
        });
        context.io.stdout(`Graph emulator listening on ${emulator.url} (${held.join("; ")})\n`);
        context.progress(
          command,
          held.length > 1
            ? `Use it with: licensectl plan --all --graph-url ${emulator.url} --auth none   (tokens from ${emulator.url}/{tenantId}/oauth2/v2.0/token)`
            : `Use it with: licensectl plan --graph-url ${emulator.url} --auth none`,
        );
        context.progress(command, "Press Ctrl+C to stop.");
        await new Promise<void>((done) => {
          const stop = () => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            done();
          };
          process.on("SIGINT", stop);
          process.on("SIGTERM", stop);
        });
        await emulator.stop();
        context.progress(command, "Graph emulator stopped.");
        return EXIT_OK;
      }),
    );
};
