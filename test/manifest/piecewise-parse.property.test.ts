import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadManifestsLeniently } from "../../src/manifest/load-manifests.js";
import { isPositionedMap, isPositionedSeq, type Positioned } from "../../src/manifest/source-positions.js";
import { parseYamlFile, type ParsedFile } from "../../src/manifest/yaml-source.js";

/*
 * Parsing a manifest in pieces must be indistinguishable from parsing it as a
 * whole: the same data, the same source positions, the same problems (codes,
 * messages, hints, file:line:column), for valid manifests and for ones with
 * mistakes planted in them. Pieces are made tiny here so that every list is cut.
 */

const work = mkdtempSync(join(tmpdir(), "licensectl-pieces-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const name = fc.constantFrom("ann", "bob", "Cat", "dan.o'neil", "eve", "Zoë", "ünal", "1st", "x y", "r&d");
const domain = fc.constantFrom("@contoso.com", "@fabrikam.onmicrosoft.com", "");
const sku = fc.constantFrom("ENTERPRISEPACK", "SPE_E5", "EMS", "Microsoft 365 E3", "bogus sku", "123");
const plan = fc.constantFrom("SWAY", "YAMMER_ENTERPRISE", "TEAMS1", "nope");
const location = fc.constantFrom("US", "GB", "USA", "", "de");

/** A scalar written plain, double-quoted or single-quoted. */
const written = (value: string, style: number): string =>
  style === 0 ? value : style === 1 ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;

const license = fc.record({
  kind: fc.constantFrom("sku", "sku", "profile"),
  sku,
  profile: fc.constantFrom("office", "e5", "missing"),
  plans: fc.option(fc.array(plan, { maxLength: 3 }), { nil: undefined }),
  flowPlans: fc.boolean(),
  enabled: fc.boolean(),
});
const principal = fc.record({
  name,
  domain,
  style: fc.integer({ min: 0, max: 2 }),
  location: fc.option(location, { nil: undefined }),
  licenses: fc.option(fc.array(license, { maxLength: 3 }), { nil: undefined }),
  comment: fc.constantFrom("", "", "", "    # note", "# at column 0", "", "  # between items"),
});
const manifest = fc.record({
  seqIndent: fc.constantFrom("", "  ", "    "),
  users: fc.array(principal, { maxLength: 14 }),
  groups: fc.array(principal, { maxLength: 4 }),
  order: fc.shuffledSubarray(["tenant", "scope", "profiles", "limits", "users", "groups"], { minLength: 1 }),
  header: fc.constantFrom("", "# generated\n", "\n"),
  crlf: fc.boolean(),
});

type Principal = typeof principal extends fc.Arbitrary<infer T> ? T : never;
type Manifest = typeof manifest extends fc.Arbitrary<infer T> ? T : never;

function principalLines(kind: string, p: Principal, indent: string): string[] {
  const lines = [`${indent}- ${kind}: ${written(p.name + (kind === "user" ? p.domain : ""), p.style)}`];
  const inner = `${indent}  `;
  if (p.location !== undefined) lines.push(`${inner}usageLocation: ${p.location}`);
  if (p.comment) lines.push(p.comment);
  if (p.licenses === undefined) return lines;
  if (p.licenses.length === 0) return [...lines, `${inner}licenses: []`];
  lines.push(`${inner}licenses:`);
  for (const l of p.licenses) {
    if (l.kind === "profile") {
      lines.push(`${inner}  - profile: ${l.profile}`);
      continue;
    }
    lines.push(`${inner}  - sku: ${written(l.sku, p.style)}`);
    if (l.plans === undefined) continue;
    const key = l.enabled ? "enabledPlans" : "disabledPlans";
    if (l.flowPlans) lines.push(`${inner}    ${key}: [${l.plans.join(", ")}]`);
    else lines.push(`${inner}    ${key}:`, ...l.plans.map((x) => `${inner}      - ${x}`));
  }
  return lines;
}

function render(m: Manifest): string {
  const s = m.seqIndent;
  const sections: Record<string, string[]> = {
    tenant: ["tenant:", "  id: 5b2e8c1a-7d4f-4e2a-9c3b-1f0a6d8e4c27", "  defaultUsageLocation: US"],
    scope: ["scope:", "  skus: [ENTERPRISEPACK, SPE_E5, EMS]", "  mode: authoritative"],
    profiles: ["profiles:", "  office:", `${s}- sku: ENTERPRISEPACK`, "  e5:", `${s}- sku: SPE_E5`],
    limits: ["limits:", "  maxRemovals: 3"],
    users: ["users:", ...m.users.flatMap((u) => principalLines("user", u, s))],
    groups: ["groups:", ...m.groups.flatMap((g) => principalLines("group", g, s))],
  };
  const lines = [`${m.header}apiVersion: licensectl/v1`, ...m.order.flatMap((key) => sections[key]!)];
  return lines.join(m.crlf ? "\r\n" : "\n") + (m.crlf ? "\r\n" : "\n");
}

/** Lines that break a manifest (or make it unfit for pieces) in the ways people and generators do. */
const PLANTED = [
  '  - user: "unterminated',
  "    licenses: [ENTERPRISEPACK,",
  "\tlicenses: []",
  "users:",
  "apiVersion: licensectl/v1",
  "---",
  "...",
  "%YAML 1.2",
  "  - &anchor {user: a@contoso.com}",
  "  - *anchor",
  "  - !!str tagged",
  "- user: column0@contoso.com",
  "   - user: odd-indent@contoso.com",
  "  bogus",
  "    user: twice@contoso.com",
  "# a comment",
  "? complex key",
  "  - {user: flow@contoso.com,",
  "  - user: 'single",
  "note: |",
  "  - user: x@contoso.com\n    licenses: [SPE_E5]",
  "unknownSection: 1",
  "'quoted': key",
  "  -",
  "-",
  "users: [a, b]",
  "  - [list, item]",
  "constructor: x",
  "__proto__: {}",
];
const mistake = fc.oneof(
  fc.record({ kind: fc.constant("line" as const), at: fc.nat(), text: fc.constantFrom(...PLANTED) }),
  fc.record({
    kind: fc.constant("char" as const),
    at: fc.nat(),
    text: fc.constantFrom(
      ":",
      "-",
      " ",
      "\t",
      "\n",
      "[",
      "]",
      "{",
      '"',
      "'",
      "#",
      "&",
      "*",
      "!",
      "|",
      ">",
      "",
    ),
    remove: fc.boolean(),
  }),
);

function plant(
  text: string,
  mistakes: readonly (typeof mistake extends fc.Arbitrary<infer T> ? T : never)[],
): string {
  let result = text;
  for (const m of mistakes) {
    if (m.kind === "line") {
      const lines = result.split("\n");
      lines.splice(m.at % (lines.length + 1), 0, m.text);
      result = lines.join("\n");
    } else {
      const at = m.at % (result.length + 1);
      result = result.slice(0, at) + m.text + result.slice(at + (m.remove ? 1 : 0));
    }
  }
  return result;
}

const input = fc.record({
  manifest,
  mistakes: fc.oneof(fc.constant([]), fc.array(mistake, { minLength: 1, maxLength: 3 })),
  pieceChars: fc.integer({ min: 1, max: 300 }),
});

/** Every offset in a position tree. */
function offsets(node: Positioned | null, into: number[] = []): number[] {
  if (node === null) return into;
  if (typeof node === "number") into.push(node);
  else if (isPositionedMap(node)) {
    into.push(node.offset);
    node.entries.forEach((entry) => offsets(entry, into));
  } else if (isPositionedSeq(node)) {
    into.push(node.offset);
    node.items.forEach((item) => offsets(item, into));
  }
  return into;
}

/** What a parse produced, with positions as line:column so that line counting is compared too. */
function comparable(parsed: ParsedFile) {
  return {
    problems: parsed.problems,
    documents: parsed.documents.map((d) => ({
      index: d.index,
      data: d.data,
      root: d.root,
      lines: offsets(d.root).map((o) => d.lines.linePos(o)),
    })),
  };
}

describe("parsing in pieces", () => {
  it("gives the same data, positions and problems as parsing the whole file", () => {
    let piecewise = 0;
    let valid = 0;
    let planted = 0;
    fc.assert(
      fc.property(input, ({ manifest: m, mistakes, pieceChars }) => {
        const text = plant(render(m), mistakes);
        const whole = parseYamlFile("m.yaml", text, { pieces: false });
        const pieces = parseYamlFile("m.yaml", text, { pieceChars });
        expect(whole.piecewise).toBe(false);
        if (pieces.piecewise) piecewise += 1;
        if (mistakes.length === 0) valid += 1;
        else if (pieces.piecewise) planted += 1;
        expect(comparable(pieces)).toStrictEqual(comparable(whole));
      }),
      { numRuns: 1500 },
    );
    // The comparison means something only if most files were really cut.
    expect(piecewise).toBeGreaterThan(valid * 0.9);
    // ... and mistakes that pieces parse cleanly (schema errors, comments) were among them.
    expect(planted).toBeGreaterThan(50);
  });

  it("parses the usual layout in pieces, and files with anchors, tags, directives or errors as a whole", () => {
    const text = "apiVersion: licensectl/v1\nusers:\n  - user: a@contoso.com\n  - user: b@contoso.com\n";
    expect(parseYamlFile("m.yaml", text, { pieceChars: 1 }).piecewise).toBe(true);
    for (const variant of [
      text.replace("- user: a", "- &x user: a"),
      text.replace("a@contoso.com", "!!str a@contoso.com"),
      `%YAML 1.2\n---\n${text}`,
      `${text}---\napiVersion: licensectl/v1\n`,
      text.replace("b@contoso.com", '"b@contoso.com'),
    ])
      expect(parseYamlFile("m.yaml", variant, { pieceChars: 1 }).piecewise).toBe(false);
  });

  it("loads manifests (schema, merge, positions) the same either way", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(input, async ({ manifest: m, mistakes, pieceChars }) => {
        const dir = join(work, String(run++));
        rmSync(dir, { recursive: true, force: true });
        await import("node:fs/promises").then((fs) => fs.mkdir(dir));
        writeFileSync(join(dir, "m.yaml"), plant(render(m), mistakes));
        const whole = await loadManifestsLeniently(["."], { cwd: dir, parse: { pieces: false } });
        const pieces = await loadManifestsLeniently(["."], { cwd: dir, parse: { pieceChars } });
        expect(pieces).toStrictEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});
