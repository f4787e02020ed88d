import { resolve } from "node:path";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { WINDOW_ARGS } from "../support/consistency-lag.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CORPUS = resolve(import.meta.dirname, "corpus");
export const CORPUS_TENANT = resolve(CORPUS, "tenant.yaml");
export const CORPUS_TENANT_ID = "5b2e8c1a-7d4f-4e2a-9c3b-1f0a6d8e4c27";

/**
 * Values no output may ever contain. They sit in the environment of every
 * run, where a careless log line, error message or plan file would pick them up.
 */
export const SENTINELS = {
  AZURE_CLIENT_SECRET: "sentinel-client-secret-7Q~kX9vLm2",
  AZURE_CLIENT_CERTIFICATE_PASSWORD: "sentinel-cert-password-Zr41pq",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "sentinel-oidc-request-token-Hw83",
  AZURE_FEDERATED_TOKEN: "sentinel-federated-assertion-Ub55",
  IDENTITY_HEADER: "sentinel-managed-identity-header-Lk02",
  SYSTEM_ACCESSTOKEN: "sentinel-azure-devops-access-token-Pq61",
} as const;

/** Environment for runs: every sentinel plus the non-secret settings a credential needs. */
export function sentinelEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AZURE_TENANT_ID: CORPUS_TENANT_ID,
    AZURE_CLIENT_ID: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:9/token",
    AZURE_SERVICE_CONNECTION_ID: "5c4b3a29-1807-4f6e-9d5c-4b3a29180706",
    SYSTEM_OIDCREQUESTURI: "http://127.0.0.1:9/oidc",
    ...SENTINELS,
    ...extra,
  };
}

/** Sentinel values (and their distinctive cores) found in `text`. */
export function leakedSentinels(text: string): string[] {
  return Object.values(SENTINELS).filter((value) => text.includes(value) || text.includes(value.slice(9)));
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs licensectl in-process with a recording io. */
export async function runLicensectl(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  const io = new RecordingIo({ cwd: options.cwd, env: options.env ?? sentinelEnv() });
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

/**
 * The global options that point licensectl at an emulator, with a consistency
 * window that covers the suites' lag (and so any smaller one).
 */
export const emulatorArgs = (url: string): string[] => ["--graph-url", url, "--auth", "none", ...WINDOW_ARGS];
