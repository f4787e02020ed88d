#!/usr/bin/env node
/**
 * `npm run demo`: starts the bundled Graph emulator with the example tenant,
 * runs `licensectl plan` on the example manifests against it, and stops.
 * Extra arguments go to `plan` (e.g. `npm run demo -- --format markdown`).
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../emulator/index.js";
import { processIo } from "./process-io.js";
import { runCli } from "./run.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const tenant = join(root, "examples", "tenant.yaml");
const manifests = relative(process.cwd(), join(root, "examples", "manifests")) || ".";

const emulator = await startEmulator({ tenant, port: 0 });
process.stderr.write(`Graph emulator serving the example tenant at ${emulator.url}\n`);
process.stderr.write(`$ licensectl plan -m ${manifests} --graph-url ${emulator.url} --auth none\n\n`);
try {
  process.exitCode = await runCli(
    ["plan", "-m", manifests, "--graph-url", emulator.url, "--auth", "none", ...process.argv.slice(2)],
    { ...processIo(), stdinIsTTY: false },
  );
} finally {
  await emulator.stop();
}
