import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import {
  startEmulator,
  type EmulatorOptions,
  type FixtureTenant,
  type RunningEmulator,
  type TenantFixture,
} from "../../src/emulator/index.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const EXAMPLE_TENANT = join(ROOT, "examples", "tenant.yaml");
export const EXAMPLE_MANIFESTS = join(ROOT, "examples", "manifests");

/** One CLI run in-process against an emulator: what it printed and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** An emulator plus a way to run licensectl against it, cleaned up by `close`. */
export interface CliHarness {
  readonly emulator: RunningEmulator;
  readonly dir: string;
  run(args: readonly string[], io?: RecordingIo): Promise<CliRun>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<EmulatorOptions> = {}): Promise<CliHarness> {
  const emulator = await startEmulator({
    tenant: EXAMPLE_TENANT,
    port: 0,
    groupProcessingDelayMs: 5,
    ...options,
  });
  const dir = await mkdtemp(join(tmpdir(), "licensectl-cli-"));
  // licensectl is told how far the emulator's reads may lag, as a user would set it for their tenant.
  const window = ["--consistency-window", String(options.consistencyLagMs ?? 0)];
  return {
    emulator,
    dir,
    async run(args, io = new RecordingIo({ cwd: dir })) {
      // First, so a test can give its own window after the command.
      const code = await runCli([...window, ...args, "--graph-url", emulator.url, "--auth", "none"], io);
      return { code, out: io.out, err: io.err };
    },
    async close() {
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The example tenant's id, which the CLI tests' own fixtures use too. */
export const CONTOSO_TENANT_ID = "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90";

/** A fixture of Contoso (the example tenant's id, name and domain), with what a test gives it and any tenant settings. */
export function contosoFixture(
  parts: Omit<TenantFixture, "apiVersion" | "kind" | "tenant"> & { readonly tenant?: Partial<FixtureTenant> },
): TenantFixture {
  const { tenant, ...rest } = parts;
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: CONTOSO_TENANT_ID,
      displayName: "Contoso",
      countryLetterCode: "US",
      domains: ["contoso.onmicrosoft.com"],
      ...tenant,
    },
    ...rest,
  };
}

/** A time `days` from now (negative: ago), to the second, as Graph writes it. */
export const isoInDays = (days: number): string =>
  new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 19) + "Z";
