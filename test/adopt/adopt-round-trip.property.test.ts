import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import jsonpatch from "fast-json-patch";
import { Lexer, parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { adoptManifests } from "../../src/adopt/adopt-manifests.js";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { Catalog } from "../../src/catalog/catalog.js";
import type { LiveState } from "../../src/model/live-state.js";
import { driftForAdoption } from "../../src/workflow/adopt.js";
import { loadDesiredState } from "../../src/workflow/prepare-plan.js";
import { tenant, type LicenseSpec } from "../plan/builders.js";

/**
 * Round trip over generated tenants and manifest sets written in many YAML
 * styles (comments everywhere, flow and block lists, quoted names, profiles,
 * lists indented or not): after adopting the drift and writing the files,
 * planning again shows no change for any adopted principal, every entry of a
 * principal not edited is byte-identical, and every comment is still there.
 */

const SKUS: Record<string, readonly string[]> = {
  ALPHA: ["A_MAIL", "A_CHAT", "A_SWAY"],
  BETA: ["B_BI", "B_APPS"],
  GAMMA: ["G_ONE", "G_TWO", "G_THREE"],
};
const PARTS = Object.keys(SKUS);
const LOCATIONS = ["US", "GB", "DE", "FR"] as const;

const licenseArb = (part: string) =>
  fc.record({
    sku: fc.constant(part),
    disabled: fc.subarray([...SKUS[part]!]),
    allow: fc.boolean(),
  });
type GenLicense = { sku: string; disabled: string[]; allow: boolean };
const licensesArb: fc.Arbitrary<GenLicense[]> = fc
  .subarray(PARTS)
  .chain((parts) =>
    parts.length === 0
      ? fc.constant([] as GenLicense[])
      : fc.tuple(...parts.map(licenseArb)).map((l) => [...l]),
  );

const styleArb = fc.record({
  indentSeq: fc.boolean(),
  flowLicenses: fc.boolean(),
  quote: fc.boolean(),
  blankLines: fc.boolean(),
});

const userArb = fc.record({
  live: licensesArb,
  location: fc.constantFrom<(typeof LOCATIONS)[number] | null>(...LOCATIONS, null),
  /** none: not in the manifests; same: declared as it is; other: declared differently. */
  declared: fc.constantFrom("none", "same", "other"),
  other: licensesArb,
  useProfiles: fc.boolean(),
  declaredLocation: fc.constantFrom<string | null>(...LOCATIONS, null),
  file: fc.nat(2),
});

const scenarioArb = fc.record({
  users: fc.array(userArb, { minLength: 1, maxLength: 7 }),
  groups: fc.array(
    fc.record({
      live: licensesArb,
      declared: fc.constantFrom("none", "same", "other"),
      other: licensesArb,
      file: fc.nat(2),
    }),
    { maxLength: 2 },
  ),
  profiles: fc.array(
    licensesArb.filter((l) => l.length > 0),
    { maxLength: 2 },
  ),
  scope: fc.constantFrom(PARTS, ["ALPHA", "BETA"]),
  mode: fc.constantFrom("authoritative", "additive"),
  protectFirst: fc.boolean(),
  files: fc.integer({ min: 1, max: 3 }),
  styles: fc.array(styleArb, { minLength: 3, maxLength: 3 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const spec = (l: GenLicense): LicenseSpec => ({ sku: l.sku, disabledPlans: l.disabled });
const upn = (i: number) => `u${i}@contoso.com`;

function liveOf(s: Scenario): LiveState {
  const t = tenant();
  for (const part of PARTS) t.sku(part, { seats: 1000, plans: SKUS[part]! });
  s.users.forEach((u, i) => t.user(upn(i), { licenses: u.live.map(spec), usageLocation: u.location }));
  s.groups.forEach((g, i) => t.group(`Group ${i}`, { licenses: g.live.map(spec), members: [upn(0)] }));
  return t.live();
}

const q = (text: string, style: { quote: boolean }) => (style.quote ? `"${text}"` : text);
const list = (items: readonly string[]) => `[${items.join(", ")}]`;

/** One `licenses:` item as YAML lines (without the list indentation). */
function licenseLines(l: GenLicense, style: Scenario["styles"][number], n: string): string[] {
  const lines = [`sku: ${q(l.sku, style)} # ${n} ${l.sku}`];
  const enabled = SKUS[l.sku]!.filter((p) => !l.disabled.includes(p));
  if (l.allow && enabled.length > 0) lines.push(`enabledPlans: ${list(enabled)}`);
  else if (l.disabled.length > 0) lines.push(`disabledPlans: ${list(l.disabled)}`);
  return lines;
}

/** A principal's entry, each with its own comments, in the file's style. */
function entryText(
  kind: "user" | "group",
  name: string,
  licenses: readonly GenLicense[] | undefined,
  profiles: readonly number[],
  location: string | null,
  style: Scenario["styles"][number],
): string {
  const pad = style.indentSeq ? "  " : "";
  const lines = [`${pad}# about ${name}`, `${pad}- ${kind}: ${name} # owner of ${name}`];
  if (location) lines.push(`${pad}  usageLocation: ${q(location, style)}`);
  if (licenses !== undefined) {
    const items = [
      ...profiles.map((p) => [`profile: p${p} # via p${p} for ${name}`]),
      ...licenses.map((l) => licenseLines(l, style, name)),
    ];
    if (style.flowLicenses && items.length > 0 && profiles.length === 0) {
      const flow = licenses.map((l) => {
        const extra = l.disabled.length > 0 ? `, disabledPlans: ${list(l.disabled)}` : "";
        return `{sku: ${q(l.sku, style)}${extra}}`;
      });
      lines.push(`${pad}  licenses: [${flow.join(", ")}] # flow for ${name}`);
    } else {
      lines.push(`${pad}  licenses:${items.length === 0 ? " []" : ""}`);
      const inner = style.indentSeq ? `${pad}    ` : `${pad}  `;
      for (const item of items)
        item.forEach((line, i) => lines.push(`${inner}${i === 0 ? "- " : "  "}${line}`));
    }
  }
  return `${style.blankLines ? "\n" : ""}${lines.join("\n")}\n`;
}

interface Written {
  readonly files: string[];
  /** Entry text -> the principal's name, per file. */
  readonly entries: { file: number; name: string; text: string }[];
}

function manifestsOf(s: Scenario): Written {
  const count = s.files;
  const heads = Array.from({ length: count }, (_, i) => [`# file ${i}`, "apiVersion: licensectl/v1"]);
  const sections = Array.from({ length: count }, () => ({ users: [] as string[], groups: [] as string[] }));
  const entries: Written["entries"] = [];
  heads[0]!.push(
    "tenant: # the tenant",
    `  id: ${tenant().id}`,
    "  defaultUsageLocation: US",
    "scope:",
    `  skus: ${list(s.scope)} # owned here`,
    `  mode: ${s.mode}`,
  );
  if (s.protectFirst) heads[0]!.push("protect:", `  users: [${upn(0)}] # break glass`);
  // Manifests may declare only SKUs in scope, in profiles too.
  const profileSets = s.profiles
    .map((p) => p.filter((l) => s.scope.includes(l.sku)))
    .filter((p) => p.length > 0);
  if (profileSets.length > 0) {
    heads[0]!.push("profiles: # shared sets");
    profileSets.forEach((p, i) => {
      heads[0]!.push(`  p${i}: # profile ${i}`);
      for (const l of p) {
        heads[0]!.push(`    - sku: ${l.sku}`);
        if (l.disabled.length > 0) heads[0]!.push(`      disabledPlans: ${list(l.disabled)}`);
      }
    });
  }
  const declare = (
    kind: "user" | "group",
    name: string,
    declared: string,
    live: readonly GenLicense[],
    other: readonly GenLicense[],
    file: number,
    location: string | null,
    useProfiles: boolean,
  ) => {
    if (declared === "none") return;
    const at = file % count;
    const style = s.styles[at]!;
    let licenses = (declared === "same" ? live : other).filter((l) => s.scope.includes(l.sku));
    // Declared "same" keeps the tenant's plans exactly: a deny-list of them.
    if (declared === "same") licenses = licenses.map((l) => ({ ...l, allow: false }));
    const profiles: number[] = [];
    if (declared === "other" && useProfiles)
      profileSets.forEach((p, i) => {
        const taken = new Set([
          ...licenses.map((l) => l.sku),
          ...profiles.flatMap((j) => profileSets[j]!.map((l) => l.sku)),
        ]);
        if (p.every((l) => !taken.has(l.sku))) profiles.push(i);
      });
    const text = entryText(kind, name, licenses, profiles, location, style);
    sections[at]![kind === "user" ? "users" : "groups"].push(text);
    entries.push({ file: at, name, text });
  };
  s.users.forEach((u, i) =>
    declare(
      "user",
      upn(i),
      u.declared,
      u.live,
      u.other,
      u.file,
      u.declared === "same" ? u.location : u.declaredLocation,
      u.useProfiles,
    ),
  );
  s.groups.forEach((g, i) =>
    declare("group", `Group ${i}`, g.declared, g.live, g.other, g.file, null, false),
  );
  const files = heads.map((head, i) => {
    const parts = [...head];
    for (const key of ["groups", "users"] as const)
      if (sections[i]![key].length > 0)
        parts.push(`${key}: # ${key} of file ${i}\n${sections[i]![key].join("").replace(/\n$/, "")}`);
    return `${parts.join("\n")}\n`;
  });
  return { files, entries };
}

const comments = (text: string) => [...new Lexer().lex(text)].filter((t) => t.startsWith("#"));

const root = mkdtempSync(join(tmpdir(), "licensectl-adopt-prop-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runNumber = 0;
/** How often each kind of edit happened, so the generator is seen to reach all of them. */
const seen = new Map<string, number>();

describe("adopt round trip (property)", () => {
  it("after adopt --write, plan has nothing for adopted principals; other entries and all comments survive", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const live = liveOf(scenario);
        const written = manifestsOf(scenario);
        const dir = join(root, `run-${runNumber++}`);
        mkdirSync(dir, { recursive: true });
        const paths = written.files.map((_, i) => `m/f${i}.yaml`);
        mkdirSync(join(dir, "m"), { recursive: true });
        written.files.forEach((text, i) => writeFileSync(join(dir, paths[i]!), text));

        const { desired } = await loadDesiredState(["m"], dir);
        const { drift, resolved } = driftForAdoption(desired, live, undefined);
        const catalog = Catalog.fromSubscribedSkus(live.skus, loadCatalog());
        const result = adoptManifests({
          drift,
          resolved,
          live,
          catalog,
          files: desired.files.map((path) => ({
            path,
            shown: path,
            text: written.files[paths.indexOf(path)]!,
          })),
          options: {},
        });
        for (const file of result.files) writeFileSync(join(dir, file.path), file.after);

        for (const edit of result.files.flatMap((f) => f.edits))
          seen.set(edit.action, (seen.get(edit.action) ?? 0) + 1);
        for (const skip of result.skipped) seen.set(skip.reason, (seen.get(skip.reason) ?? 0) + 1);
        const adopted = new Set(result.files.flatMap((f) => f.edits.map((e) => e.principal.name)));
        const skipped = new Set(result.skipped.map((s) => s.principal.name));
        const again = driftForAdoption((await loadDesiredState(["m"], dir)).desired, live, undefined);
        const left = again.drift.pendingChanges.map((c) => c.principal.name);
        // Every change still pending is one adopt was told to leave (protected, or a default location).
        for (const name of left) expect(skipped, `${name} still drifts`).toContain(name);
        for (const name of adopted) expect(left).not.toContain(name);

        for (const file of result.files) {
          const index = paths.indexOf(file.path);
          for (const entry of written.entries.filter((e) => e.file === index && !adopted.has(e.name)))
            expect(file.after, `${entry.name} untouched in ${file.path}`).toContain(
              entry.text.replace(/^\n/, ""),
            );
          // The RFC 6902 operations turn the file's data before into its data after.
          const data = (text: string) => parse(text) as unknown;
          const patched = jsonpatch.applyPatch(data(file.before), file.operations as jsonpatch.Operation[]);
          expect(patched.newDocument).toEqual(data(file.after));
          const after = comments(file.after);
          for (const comment of comments(file.before)) {
            const at = after.indexOf(comment);
            expect(at, `comment "${comment}" kept in ${file.path}`).toBeGreaterThanOrEqual(0);
            after.splice(at, 1);
          }
        }
      }),
      { numRuns: Number(process.env.ADOPT_RUNS ?? 100) },
    );
    for (const kind of ["add-entry", "edit-entry", "remove-entry", "protected"])
      expect(seen.get(kind) ?? 0, `${kind} edits generated`).toBeGreaterThan(0);
  }, 120_000);
});
