import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FIRST_BOUNDARIES,
  packRanges,
  splitByTarget,
  partitionTarget,
  rangeFilter,
  rangesBetween,
  refineRange,
  type UpnRange,
} from "../../src/graph/user-partitions.js";

/** Whether a range holds a string, under a given ordering of strings. */
const holds = (range: UpnRange, upn: string, compare: (a: string, b: string) => number): boolean =>
  (range.from === undefined || compare(upn, range.from) >= 0) &&
  (range.to === undefined || compare(upn, range.to) <= 0);

/** Orderings Graph might use: code units of the lower-cased text, or a culture's collation. */
const ORDERINGS: Record<string, (a: string, b: string) => number> = {
  "case-blind ordinal": (a, b) => {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  },
  "en collation": new Intl.Collator("en", { sensitivity: "base" }).compare,
  "sv collation": new Intl.Collator("sv", { sensitivity: "accent" }).compare,
};

/** Principal names starting with anything: digits, punctuation, capitals, accents, other scripts. */
const upn = fc
  .tuple(
    fc.constantFrom(
      "0",
      "9",
      "_",
      "-",
      ".",
      "'",
      "A",
      "Z",
      "a",
      "m",
      "s",
      "z",
      "É",
      "ß",
      "Ω",
      "Я",
      "李",
      "ا",
    ),
    fc.string({
      unit: fc.constantFrom("a", "e", "i", "l", "m", "s", "u", "z", "0", ".", "_", "É", "ø"),
      maxLength: 6,
    }),
  )
  .map(([first, rest]) => `${first}${rest}@contoso.com`);

describe("userPrincipalName ranges", () => {
  it("cover every principal name exactly once, whatever the ordering, refined or not", () => {
    const refinedOnce = rangesBetween(FIRST_BOUNDARIES).flatMap((r) => refineRange(r));
    const refinedTwice = refinedOnce.flatMap((r) => refineRange(r));
    for (const [name, compare] of Object.entries(ORDERINGS)) {
      for (const ranges of [rangesBetween(FIRST_BOUNDARIES), refinedOnce, refinedTwice]) {
        fc.assert(
          fc.property(upn, (u) => {
            expect(
              ranges.filter((r) => holds(r, u, compare)),
              `${name}: ${u}`,
            ).toHaveLength(1);
          }),
          { numRuns: 300 },
        );
      }
    }
  });

  it("refines a range into neighbours that start and end where it does", () => {
    const once = rangesBetween(FIRST_BOUNDARIES).flatMap((r) => refineRange(r));
    for (const range of [...rangesBetween(FIRST_BOUNDARIES), ...once]) {
      const parts = refineRange(range);
      // Narrow ones may not split further: below `a` (digits, punctuation), or [b, ba].
      if (!once.includes(range)) expect(parts.length, JSON.stringify(range)).toBeGreaterThan(1);
      expect(parts[0]!.from).toBe(range.from);
      expect(parts.at(-1)!.to).toBe(range.to);
      for (let i = 1; i < parts.length; i++) expect(parts[i]!.from).toBe(parts[i - 1]!.to);
    }
    expect(refineRange({ from: "abcd", to: "abce" })).toEqual([{ from: "abcd", to: "abce" }]);
  });

  it("packs neighbouring ranges up to the target, keeping every range, the empty ones too", () => {
    const ranges = rangesBetween(["b", "c", "d", "e"]);
    const counted = ranges.map((range, i) => ({ range, count: [5, 0, 7, 0, 4][i]! }));
    const partitions = packRanges(counted, 10);
    expect(partitions).toEqual([
      { range: { to: "c" }, expected: 5 },
      { range: { from: "c", to: "e" }, expected: 7 },
      { range: { from: "e" }, expected: 4 },
    ]);
    expect(packRanges(counted, 100)).toEqual([{ range: {}, expected: 16 }]);
    // A range larger than the target stays alone.
    expect(packRanges(counted, 3).map((p) => p.expected)).toEqual([5, 7, 4]);
  });

  it("splits counted ranges into runs within the target and the larger ones, in order", () => {
    const ranges = rangesBetween(["b", "c", "d", "e", "f"]);
    const counted = ranges.map((range, i) => ({ range, count: [5, 20, 3, 2, 30, 1][i]! }));
    const { runs, large } = splitByTarget(counted, 10);
    expect(runs.map((run) => run.map((c) => c.count))).toEqual([[5], [3, 2], [1]]);
    expect(large.map((c) => c.count)).toEqual([20, 30]);
    // Together they cover every range once.
    expect([...runs.flat(), ...large].map((c) => c.range.from ?? "").sort()).toEqual(
      counted.map((c) => c.range.from ?? "").sort(),
    );
    expect(splitByTarget(counted, 100)).toEqual({ runs: [counted], large: [] });
  });

  it("quotes bounds in the filter and sizes partitions in whole pages", () => {
    expect(rangeFilter({ from: "o'b", to: "p" })).toBe(
      "userPrincipalName ge 'o''b' and userPrincipalName le 'p'",
    );
    expect(rangeFilter({})).toBeUndefined();
    expect(partitionTarget(100_000, 8, 999)).toBe(12 * 999 + 999);
    expect(partitionTarget(10, 8, 999)).toBe(999);
  });
});
