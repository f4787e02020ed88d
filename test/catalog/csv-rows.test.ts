import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUNDLED_CATALOG_PATH } from "../../src/catalog/bundled-catalog.js";
import { parseCsvRows } from "../../src/catalog/csv-rows.js";

const OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true } as const;

/** csv-parse's answer: its rows, or its error message. */
function reference(text: string): string[][] | string {
  try {
    return parse(text, OPTIONS) as string[][];
  } catch (error) {
    return (error as Error).message;
  }
}

function fast(text: string): string[][] | string {
  try {
    return parseCsvRows(text);
  } catch (error) {
    return (error as Error).message;
  }
}

describe("parseCsvRows", () => {
  it("gives csv-parse's rows for the bundled catalog", () => {
    const text = readFileSync(BUNDLED_CATALOG_PATH, "utf8");
    expect(parseCsvRows(text)).toEqual(reference(text));
  });

  it.each([
    ["quoted commas", 'a,b\r\n"x, y",z\r\n'],
    ["escaped quotes", 'a,"he said ""hi""",c\n'],
    ["a quoted field across lines", 'a,"b\r\nc",d\r\ne,f\r\n'],
    ["a field across lines between plain lines", 'h\n"a\nplain\nb",c\nx,"y"\n'],
    ["a stray quote", 'a,b"c\n'],
    ["an unclosed quote", 'a,"b\n'],
    ["mixed line endings", "a,b\r\nc,d\ne,f\r\n"],
    ["a lone carriage return", "a,b\rc,d\n"],
    ["a byte-order mark, empty and blank lines", "\ufeffa,b\n\n \n,\nc\n"],
    ["no final newline", "a,b\nc"],
    ["uneven columns", "a\nb,c,d\n"],
  ])("agrees with csv-parse on %s", (_name, text) => {
    expect(fast(text)).toEqual(reference(text));
  });

  it("agrees with csv-parse on any text made of commas, quotes, line breaks and letters", () => {
    const char = fc.constantFrom(",", '"', "\n", "\r", "\r\n", "a", "b", " ", "\ufeff");
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const text = chars.join("");
        expect(fast(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
});
