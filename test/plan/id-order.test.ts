import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idOrder } from "../../src/plan/id-order.js";

const stableOrder = (ids: readonly string[]): number[] =>
  ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));

const hex = fc.constantFrom(..."0123456789abcdef".split(""));
/** GUID-like ids that often share their first digits, repeat, or break the hex pattern. */
const id = fc.oneof(
  fc.uuid(),
  fc
    .tuple(fc.constantFrom("0000000", "ffffffff", "1234abcd"), fc.array(hex, { maxLength: 6 }))
    .map(([head, tail]) => head + tail.join("")),
  fc.constantFrom("00000000-0000-0000-0000-000000000000", "ABCDEF12-0000", "zz", "", "1234abc"),
  fc.string(),
);

describe("idOrder", () => {
  it("orders ids as a stable sort by code units does (property)", () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 200 }), (ids) => {
        expect(idOrder(ids)).toEqual(stableOrder(ids));
      }),
      { numRuns: 300 },
    );
  });

  it("orders ids that all start with eight hex digits (the typed-array path) as the stable sort does (property)", () => {
    const hexId = fc.oneof(
      fc.uuid(),
      fc
        .tuple(fc.constantFrom("00000000", "ffffffff", "1234abcd"), fc.array(hex, { maxLength: 6 }))
        .map(([head, tail]) => head + tail.join("")),
    );
    fc.assert(
      fc.property(fc.array(hexId, { maxLength: 200 }), (ids) => {
        expect(idOrder(ids)).toEqual(stableOrder(ids));
      }),
      { numRuns: 300 },
    );
  });

  it("orders lower-case GUIDs that share their first digits by the whole id, repeats in input order", () => {
    const ids = [
      "abcdef01-0000-0000-0000-000000000002",
      "abcdef01-0000-0000-0000-000000000001",
      "00000000-0000-0000-0000-000000000009",
      "abcdef01-0000-0000-0000-000000000001",
    ];
    expect(idOrder(ids)).toEqual([2, 1, 3, 0]);
  });
});
