import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { countFigures } from "./figures.js";
import { AUTH_METHODS } from "../../src/graph/credential-settings.js";
import { CORPUS, CORPUS_TENANT, CORPUS_TENANT_ID, runLicensectl, sentinelEnv, SENTINELS } from "./harness.js";
import { startLossyProxy, type LossyProxy } from "./lossy-proxy.js";

/**
 * Tokens, client secrets and certificate material never show up in output,
 * logs, plan files, reports or error messages (sentinel values in the
 * environment, --verbose, success and failure paths alike), and a custom
 * --graph-url never receives a credential.
 */
const CERT_MATERIAL = "c2VudGluZWwtY2VydGlmaWNhdGUtbWF0ZXJpYWwtUXc5";
const KEY_MATERIAL = "c2VudGluZWwtcHJpdmF0ZS1rZXktbWF0ZXJpYWwtWnQ0";
const FEDERATED = "eyJzZW50aW5lbCI6ImZlZGVyYXRlZC1hc3NlcnRpb24tSmo3In0";
const SECRETS = [...Object.values(SENTINELS), CERT_MATERIAL, KEY_MATERIAL, FEDERATED];

let work: string;
let emulator: RunningEmulator;
/** Loopback Graph look-alike in front of the emulator that records what it is sent. */
let recorder: LossyProxy;
const seen: { method: string; path: string; authorization: string | undefined }[] = [];
/** Stands in for the internet: every outbound HTTPS connection (token requests) ends here and is refused. */
let egress: Server;
const egressTargets: string[] = [];

const env = (extra: Record<string, string> = {}) =>
  sentinelEnv({
    AZURE_CLIENT_CERTIFICATE_PATH: join(work, "cert.pem"),
    AZURE_FEDERATED_TOKEN_FILE: join(work, "federated-token"),
    ...extra,
  });

/** Every secret (whole or its distinctive part) found in `text`. */
const leaks = (text: string) => SECRETS.filter((s) => text.includes(s) || text.includes(s.slice(-14)));

let scanned = 0;
function expectNoSecrets(text: string, what: string): void {
  scanned++;
  expect(leaks(text), `${what}:\n${text}`).toEqual([]);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "licensectl-secrets-"));
  writeFileSync(
    join(work, "cert.pem"),
    `-----BEGIN CERTIFICATE-----\n${CERT_MATERIAL}\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n${KEY_MATERIAL}\n-----END PRIVATE KEY-----\n`,
  );
  writeFileSync(join(work, "federated-token"), FEDERATED);
  emulator = await startEmulator({ tenant: CORPUS_TENANT, port: 0, groupProcessingDelayMs: 0 });
  recorder = await startLossyProxy(
    emulator.url,
    () => false,
    (method, path, headers) =>
      seen.push({ method, path, authorization: headers.authorization as string | undefined }),
  );
  egress = createServer((_req, res) => res.writeHead(502).end());
  egress.on("connect", (req, socket) => {
    egressTargets.push(req.url ?? "");
    socket.destroy();
  });
  await new Promise<void>((resolve) => egress.listen(0, "127.0.0.1", resolve));
  // @azure/identity's HTTP pipeline honours HTTPS_PROXY: token requests go nowhere, and we see where they would go.
  process.env.HTTPS_PROXY = `http://127.0.0.1:${(egress.address() as AddressInfo).port}`;
  delete process.env.NO_PROXY;
});

afterAll(async () => {
  delete process.env.HTTPS_PROXY;
  await recorder?.close();
  await emulator?.stop();
  await new Promise<void>((resolve) => (egress ? egress.close(() => resolve()) : resolve()));
  rmSync(work, { recursive: true, force: true });
});

/** Every credential licensectl can send; `none` sends nothing. */
const CREDENTIALS = AUTH_METHODS.filter((method) => method !== "none");
const COMMANDS: string[][] = [
  ["plan"],
  ["apply", "--auto-approve"],
  ["drift"],
  ["adopt"],
  ["skus"],
  ["export", "--out", "exported"],
];
const manifests = ["-m", join(CORPUS, "base")];

describe("a custom --graph-url never receives a credential", () => {
  it.for(CREDENTIALS)(
    "--auth %s to a loopback Graph look-alike is refused before any request",
    async (auth, { task }) => {
      for (const command of COMMANDS) {
        seen.length = 0;
        const args = [...command, ...(command[0] === "skus" ? [] : command[0] === "export" ? [] : manifests)];
        const run = await runLicensectl([...args, "--graph-url", recorder.url, "--auth", auth, "--verbose"], {
          cwd: work,
          env: env(),
        });
        expect(run.code, run.err).toBe(1);
        expect(run.err).toMatch(new RegExp(`Refusing to send a ${auth} credential to ${recorder.url}`));
        expect(seen, `${command[0]} reached the look-alike`).toEqual([]);
        expectNoSecrets(run.out + run.err, `${command.join(" ")} --auth ${auth}`);
      }
      expect(egressTargets).toEqual([]);
      countFigures(task, { casesRun: COMMANDS.length, outputsScannedForSecrets: COMMANDS.length });
    },
  );

  it("refuses hosts that only look like Microsoft Graph", async ({ task }) => {
    const lookalikes = [
      "https://graph.microsoft.com.evil.test",
      "https://evil.test/graph.microsoft.com",
      "https://graph.microsoft.com:8443",
      "http://graph.microsoft.com",
      "https://graph.microsoft.com@evil.test",
      "https://graph-microsoft.com",
      "https://graph.microsoft.us.evil.test",
    ];
    for (const url of lookalikes) {
      const run = await runLicensectl(
        ["plan", ...manifests, "--graph-url", url, "--auth", "client-secret", "--verbose"],
        {
          cwd: work,
          env: env(),
        },
      );
      expect(run.code, `${url}: ${run.err}`).toBe(1);
      expect(run.err, url).toMatch(
        /Refusing to send a client-secret credential|must not carry a query, fragment or user info/,
      );
      expectNoSecrets(run.out + run.err, url);
    }
    // Refused before any token was even asked for.
    expect(egressTargets).toEqual([]);
    countFigures(task, { casesRun: lookalikes.length, outputsScannedForSecrets: lookalikes.length });
  });

  it("sends no Authorization header at all with --auth none, whatever the environment holds", async ({
    task,
  }) => {
    seen.length = 0;
    const run = await runLicensectl(
      ["plan", ...manifests, "--graph-url", recorder.url, "--auth", "none", "--verbose"],
      { cwd: work, env: env() },
    );
    expect(run.code, run.err).toBe(0);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.filter((r) => r.authorization !== undefined)).toEqual([]);
    expectNoSecrets(run.out + run.err, "plan --auth none");
    countFigures(task, { casesRun: 1, outputsScannedForSecrets: 1 });
  });
});

describe("secrets never appear in output, files or errors", () => {
  it("on the success paths with --verbose: plan --out, apply, drift --output, export, skus", async ({
    task,
  }) => {
    const g = ["--graph-url", emulator.url, "--auth", "none", "--verbose"];
    const m = ["-m", join(CORPUS, "base")];
    const runs = [
      await runLicensectl(["plan", ...m, "--out", "plan.json", "--format", "json", ...g], {
        cwd: work,
        env: env(),
      }),
      await runLicensectl(["apply", "--auto-approve", "plan.json", ...m, ...g], { cwd: work, env: env() }),
      await runLicensectl(["drift", ...m, "--format", "html", "--output", "drift.html", ...g], {
        cwd: work,
        env: env(),
      }),
      await runLicensectl(["drift", ...m, "--format", "json", ...g], { cwd: work, env: env() }),
      await runLicensectl(["export", "--out", "exported", ...g], { cwd: work, env: env() }),
      await runLicensectl(["skus", ...g], { cwd: work, env: env() }),
      await runLicensectl(["validate", join(CORPUS, "base"), "--verbose"], { cwd: work, env: env() }),
    ];
    for (const run of runs) {
      expect(run.code, run.err).toBe(0);
      expectNoSecrets(run.out + run.err, "output");
    }
    // Every file licensectl wrote.
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (!["cert.pem", "federated-token"].includes(name)) files.push(full);
      }
    };
    walk(work);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) expectNoSecrets(readFileSync(file, "utf8"), file);
    countFigures(task, { casesRun: runs.length, outputsScannedForSecrets: runs.length + files.length });
  });

  it("on the failure paths with --verbose: missing settings, failed sign-in, bad certificate, refused URL, bad input", async ({
    task,
  }) => {
    egressTargets.length = 0;
    const failures: [string, string[], Record<string, string>][] = [
      ["client secret, sign-in fails", ["--auth", "client-secret"], {}],
      [
        "certificate, sign-in fails",
        ["--auth", "client-certificate"],
        { AZURE_CLIENT_CERTIFICATE_PASSWORD: SENTINELS.AZURE_CLIENT_CERTIFICATE_PASSWORD },
      ],
      ["federated token file, sign-in fails", ["--auth", "workload-identity"], {}],
      ["Azure Pipelines, OIDC token request fails", ["--auth", "azure-pipelines"], {}],
      ["client secret, no client id", ["--auth", "client-secret"], { AZURE_CLIENT_ID: "" }],
      ["client secret, US Gov cloud", ["--auth", "client-secret", "--cloud", "usgov"], {}],
      [
        "client secret, cloud and URL disagree",
        ["--auth", "client-secret", "--graph-url", "https://graph.microsoft.us"],
        {},
      ],
      ["client secret, wrong tenant id flag", ["--auth", "client-secret", "--tenant-id", "not-a-tenant"], {}],
    ];
    for (const [what, flags, extra] of failures) {
      for (const command of [["plan"], ["apply", "--auto-approve"], ["drift"]]) {
        const run = await runLicensectl([...command, ...manifests, ...flags, "--verbose"], {
          cwd: work,
          env: env(extra),
        });
        expect(run.code, `${what}: ${run.out}${run.err}`).toBe(1);
        expect(run.err, what).toMatch(/^error: /m);
        expectNoSecrets(run.out + run.err, `${what} (${command[0]})`);
      }
    }
    // Token requests went only to Microsoft's sign-in authorities, never anywhere else.
    expect(egressTargets.length).toBeGreaterThan(0);
    for (const target of egressTargets)
      expect(target).toMatch(/^login\.(microsoftonline\.(com|us)|chinacloudapi\.cn):443$/);
    countFigures(task, { casesRun: failures.length * 3, outputsScannedForSecrets: failures.length * 3 });
  }, 120_000);

  it("in a plan file made while the environment holds every secret", () => {
    const plan = readFileSync(join(work, "plan.json"), "utf8");
    expect(JSON.parse(plan).tenant.id).toBe(CORPUS_TENANT_ID);
    expectNoSecrets(plan, "plan.json");
    expect(scanned).toBeGreaterThan(50);
  });
});
