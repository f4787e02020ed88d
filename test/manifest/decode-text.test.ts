import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/manifest/decode-text.js";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

describe("decodeUtf8", () => {
  it("decodes UTF-8, multi-byte characters included, and drops a byte-order mark", () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "user: zoë.krüger@contoso.com 🎉"))).toEqual({
      ok: true,
      text: "user: zoë.krüger@contoso.com 🎉",
    });
  });

  it("names the offset, line and column of the first invalid byte", () => {
    expect(decodeUtf8(bytes("a: 1\nuser: Jos", [0xe9], "\n"))).toEqual({
      ok: false,
      offset: 14,
      line: 2,
      column: 10,
      reason: "byte 0xe9 at offset 14 is not valid UTF-8",
    });
  });

  it("counts columns in characters, not bytes, and rejects overlong and truncated sequences", () => {
    expect(decodeUtf8(bytes("é", [0xc0, 0xaf]))).toMatchObject({ ok: false, offset: 2, line: 1, column: 2 });
    expect(decodeUtf8(bytes("ab", [0xe2, 0x82]))).toMatchObject({ ok: false, offset: 2, column: 3 });
  });

  it("recognises UTF-16 by its byte-order mark", () => {
    expect(decodeUtf8(bytes([0xff, 0xfe], "a"))).toMatchObject({
      ok: false,
      reason: "it starts with a UTF-16 byte-order mark",
    });
  });

  it("accepts exactly the well-formed byte strings, and locates the first bad byte of every other", () => {
    const utf8ish = fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 0x7f }),
        fc.integer({ min: 0x80, max: 0xff }),
        fc.constantFrom(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xed, 0xa0, 0xf0, 0x9f, 0x8e, 0xf4, 0x90, 0xc0),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(utf8ish, (list) => {
        const input = Uint8Array.from(list);
        const wellFormed = Buffer.from(new TextDecoder("utf-8", { ignoreBOM: true }).decode(input)).equals(
          Buffer.from(input),
        );
        const decoded = decodeUtf8(input);
        // UTF-16 byte-order marks have their own message (tested above).
        if ((list[0] === 0xff && list[1] === 0xfe) || (list[0] === 0xfe && list[1] === 0xff)) return;
        expect(decoded.ok).toBe(wellFormed);
        if (decoded.ok)
          expect(decoded.text).toBe(
            Buffer.from(input)
              .toString("utf8")
              .replace(/^\uFEFF/, ""),
          );
        else expect(decoded.reason).toMatch(/^byte 0x[0-9a-f]{2} at offset \d+ is not valid UTF-8$/);
      }),
      { numRuns: 2000 },
    );
  });
});
