import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import type { Plan } from "../../src/model/plan.js";
import { serializePlan } from "../../src/plan/plan-file.js";
import { simulateApply } from "../plan/simulate-apply.js";
import { countFigures } from "./figures.js";
import { CORPUS_TENANT, emulatorArgs, runLicensectl } from "./harness.js";
import { tenantView } from "./tenant-view.js";
import { LAGGED } from "../support/consistency-lag.js";

/**
 * A saved plan is bound to what was reviewed. Any hand edit of any value in
 * the file is refused (the digest); and an edit whose digest was recomputed,
 * which anyone can do, can still never change what apply writes: apply either
 * refuses it without a write, or writes exactly what the reviewed plan said.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function leaves(value: Json, path: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [path];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  if (entries.length === 0) return [path];
  return entries.flatMap(([key, child]) => leaves(child, [...path, key]));
}

function mutate(root: Json, path: Path, kind: number): Json {
  const copy = structuredClone(root) as Json;
  if (path.length === 0) return copy;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  const value = parent[last]!;
  if (typeof value === "string") {
    // Swap in another GUID-shaped or plain value, or change case, or append.
    parent[last] = [
      value.toUpperCase() === value ? `${value}x` : value.toUpperCase(),
      `${value.slice(0, -1)}0`,
      `${value} `,
    ][kind % 3]!;
    if (parent[last] === value) parent[last] = `${value}!`;
  } else if (typeof value === "number") parent[last] = value + (kind % 2 === 0 ? 1 : -1);
  else if (typeof value === "boolean") parent[last] = !value;
  else if (value === null) parent[last] = "x";
  else if (Array.isArray(value))
    parent[last] = value.length === 0 ? ["x"] : kind % 2 === 0 ? [] : [...value, ...value];
  else delete parent[last];
  return copy;
}

const MANIFEST = `apiVersion: licensectl/v1
tenant:
  id: 5b2e8c1a-7d4f-4e2a-9c3b-1f0a6d8e4c27
scope:
  skus: [ENTERPRISEPACK, SPE_E5, EMS]
  mode: authoritative
protect:
  users: [breakglass@fabrikam.onmicrosoft.com]
limits:
  maxRemovals: 1
users:
  - user: breakglass@fabrikam.onmicrosoft.com
    licenses: [{ sku: ENTERPRISEPACK }]
  - user: ann@fabrikam.com
    licenses: [{ sku: ENTERPRISEPACK, disabledPlans: [SWAY] }]
  - user: bob@fabrikam.com
    licenses: [{ sku: ENTERPRISEPACK }]
  - user: dan@fabrikam.com
    usageLocation: NL
    licenses: [{ sku: EMS }]
  - user: eve@fabrikam.com
    licenses: [{ sku: SPE_E5 }]
groups:
  - group: Sales
    licenses: [{ sku: EMS }]
`;

let work: string;
let original: Json;
let planPaths: Path[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "licensectl-binding-"));
  mkdirSync(join(work, "m"));
  writeFileSync(join(work, "m", "licenses.yaml"), MANIFEST);
  const emulator = await startEmulator({ tenant: CORPUS_TENANT, port: 0, groupProcessingDelayMs: 0 });
  const run = await runLicensectl(["plan", "-m", "m", "--out", "plan.json", ...emulatorArgs(emulator.url)], {
    cwd: work,
  });
  await emulator.stop();
  expect(run.code, run.err).toBe(0);
  original = JSON.parse(readFileSync(join(work, "plan.json"), "utf8")) as Json;
  const kinds = (original as unknown as Plan).waves.map((w) => w.kind);
  expect(kinds).toEqual(expect.arrayContaining(["usage-locations", "remove-users", "updates", "add-users"]));
  planPaths = leaves(original).filter((p) => p[0] !== "digest");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("plan files are bound to what was reviewed (property)", () => {
  it("refuses every hand edit, and a recomputed digest never changes what is written", async ({ task }) => {
    expect(planPaths.length).toBeGreaterThan(80);
    let refused = 0;
    let harmless = 0;
    let editedInPlace = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.boolean(), async (which, kind, redigest) => {
        const path = planPaths[which % planPaths.length]!;
        const edited = mutate(original, path, kind) as Record<string, Json>;
        delete edited.digest;
        const { digest: _, ...unchanged } = original as Record<string, Json>;
        fc.pre(JSON.stringify(edited) !== JSON.stringify(unchanged));
        const text = redigest
          ? serializePlan(edited as unknown as Plan)
          : JSON.stringify({ ...edited, digest: (original as Record<string, Json>).digest }, null, 2);
        writeFileSync(join(work, "edited.json"), text);

        const emulator = await startEmulator({
          tenant: CORPUS_TENANT,
          port: 0,
          groupProcessingDelayMs: 0,
          ...LAGGED,
        });
        try {
          const before = emulator.snapshot();
          const run = await runLicensectl(
            ["apply", "--auto-approve", "edited.json", "-m", "m", ...emulatorArgs(emulator.url)],
            { cwd: work },
          );
          const shown = `${redigest ? "re-digested" : "edited"} ${path.join(".")}\n${run.err}`;
          if (!redigest) {
            editedInPlace++;
            expect(run.code, shown).toBe(1);
            expect(run.err, shown).toMatch(
              /was changed after licensectl wrote it|is not a licensectl plan file|has plan format|is not a complete plan/,
            );
          }
          if (run.code !== 0) {
            refused++;
            expect(run.err, shown).toMatch(/^error: /m);
            expect(emulator.counters.writesAttempted, shown).toBe(0);
            return;
          }
          // Accepted: then only wording, timestamps or display fields changed, and the reviewed plan is what ran.
          harmless++;
          expect(tenantView(emulator.snapshot()), shown).toEqual(
            tenantView(simulateApply(before, original as unknown as Plan)),
          );
        } finally {
          await emulator.stop();
        }
      }),
      { numRuns: 80 },
    );
    // Every edit without a new digest is refused; re-digested edits of descriptive fields (reasons,
    // names, each change's before/after) are harmless, and the loop checked they write the reviewed plan.
    expect(editedInPlace).toBeGreaterThan(10);
    expect(refused).toBeGreaterThanOrEqual(editedInPlace);
    countFigures(task, { casesRun: refused + harmless, badInputsRefused: refused });
  }, 120_000);
});
