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
});
