/**
 * Child process that loads one manifest directory, fresh, and reports its
 * CPU time, wall time and peak RSS: either the `yaml` package's own parse of
 * every file (the floor: text to plain data, nothing else) or licensectl's
 * whole load (decoding, parsing with source positions, schema checks,
 * merging), in pieces as licensectl does or forced whole.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadManifests } from "../src/manifest/load-manifests.js";
import { hasErrors } from "../src/model/problem.js";
import { measure, peakRssMb, type PhaseTiming } from "./measure.js";

/** What to load, and how. */
export interface LoadRequest {
  readonly manifestDir: string;
  readonly mode: "floor" | "load" | "load-whole";
}

/** What one load cost. */
export interface LoadReport {
  readonly type: "load";
  readonly mode: LoadRequest["mode"];
  readonly timing: PhaseTiming;
  readonly peakRssMb: number;
  readonly users: number;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const request = JSON.parse(process.argv[2] ?? "{}") as LoadRequest;
const { value: users, timing } = await measure(async () => {
  if (request.mode === "floor") {
    let count = 0;
    for (const file of yamlFiles(request.manifestDir)) {
      for (const doc of parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true })) {
        const data = doc.toJS({ maxAliasCount: 100 }) as { users?: unknown[] } | null;
        count += data?.users?.length ?? 0;
      }
    }
    return count;
  }
  const loaded = await loadManifests([request.manifestDir], {
    ...(request.mode === "load-whole" ? { parse: { pieces: false } } : {}),
  });
  if (!loaded.state || hasErrors(loaded.problems))
    throw new Error(`manifests invalid: ${JSON.stringify(loaded.problems.slice(0, 5))}`);
  return loaded.state.users.length;
});
const report: LoadReport = { type: "load", mode: request.mode, timing, peakRssMb: peakRssMb(), users };
process.send!(report, () => process.disconnect());
