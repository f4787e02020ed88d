/** The result of decoding a manifest file's bytes. */
export type DecodedText =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      /** 0-based byte offset of the first byte that is not valid UTF-8. */
      readonly offset: number;
      /** 1-based line and column (in characters) of that byte. */
      readonly line: number;
      readonly column: number;
      readonly reason: string;
    };

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** Length of the valid UTF-8 sequence at `i`, or 0 when the bytes there are not valid UTF-8. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Decodes UTF-8 strictly (a leading byte-order mark is dropped). On failure
 * says where the first bad byte is, so the user can find it in an editor.
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, offset: 0, line: 1, column: 1, reason: "it starts with a UTF-16 byte-order mark" };
  }
  // The native decoder checks the same rules (the Unicode definition of well-formed UTF-8) many times
  // faster; the loop below runs only to say where a file goes wrong. It drops a leading byte-order mark.
  try {
    return { ok: true, text: strictDecoder.decode(bytes) };
  } catch {
    // Located below.
  }
  let line = 1;
  let column = 1;
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      const hex = bytes[i]!.toString(16).padStart(2, "0");
      return {
        ok: false,
        offset: i,
        line,
        column,
        reason: `byte 0x${hex} at offset ${i} is not valid UTF-8`,
      };
    }
    if (bytes[i] === 0x0a) {
      line += 1;
      column = 1;
    } else {
      column += 1;
    }
    i += length;
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { ok: true, text: new TextDecoder("utf-8").decode(bytes.subarray(start)) };
}
