/**
 * Where a manifest file can be cut into pieces that the `yaml` package parses
 * on their own with the same result: the entries of the top-level mapping,
 * and runs of items of its long lists. Only the plain block layout that
 * manifests (and generators of them) use is cut; anything else (several
 * documents, directives, a top-level list, keys that are not plain words, a
 * list whose items are not all at one indentation) gives no pieces, and the
 * file is parsed as a whole.
 */

/** One piece: text[start, end). */
export interface Piece {
  readonly start: number;
  readonly end: number;
  /**
   * The top-level key whose entry this piece holds (a mapping of that one
   * key), or, for `items`, whose list this piece continues (a bare list).
   */
  readonly key: string;
  readonly items: boolean;
}

/**
 * A list is cut into pieces of about this many characters. Small pieces keep
 * each piece's syntax tree short-lived, so it dies young instead of growing
 * the heap; measured on a 5.7 MB file, 2-8 KiB pieces parse as fast as the
 * whole file with a third of its peak memory, and 64 KiB pieces need more.
 */
export const PIECE_CHARS = 4 * 1024;

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const CR = 0x0d;
const LF = 0x0a;
/** A top-level key licensectl can cut at: a plain word followed by ":" and a space or the line's end. */
const KEY_LINE = /([A-Za-z_][A-Za-z0-9_]*):(?=[ \r\n]|$)/y;
/** Nothing after the key but spaces: the value (a list) starts on the next line. */
const BARE_KEY_LINE = /[A-Za-z_][A-Za-z0-9_]*: *\r?(?:\n|$)/y;

/** What a line holds, judged from its indentation and first character. */
type LineKind = "blank" | "comment" | "item" | "other";

function lineKind(text: string, start: number): { kind: LineKind; indent: number } {
  let at = start;
  while (text.charCodeAt(at) === SPACE) at++;
  const indent = at - start;
  const c = text.charCodeAt(at);
  if (Number.isNaN(c) || c === LF || (c === CR && text.charCodeAt(at + 1) === LF))
    return { kind: "blank", indent };
  if (c === HASH) return { kind: "comment", indent };
  if (c === DASH) {
    const after = text.charCodeAt(at + 1);
    if (
      after === SPACE ||
      after === LF ||
      Number.isNaN(after) ||
      (after === CR && text.charCodeAt(at + 2) === LF)
    )
      return { kind: "item", indent };
  }
  return { kind: "other", indent };
}

/**
 * The item starts of the list that is the value of the section whose lines
 * are lineStarts[first..last), or undefined when the section is not a key
 * alone on its line followed by a block list with all items at one indentation.
 */
function listItems(
  text: string,
  lineStarts: readonly number[],
  first: number,
  last: number,
): number[] | undefined {
  BARE_KEY_LINE.lastIndex = lineStarts[first]!;
  if (!BARE_KEY_LINE.test(text)) return undefined;
  const items: number[] = [];
  let indent = -1;
  for (let line = first + 1; line < last; line++) {
    const start = lineStarts[line]!;
    const { kind, indent: at } = lineKind(text, start);
    if (kind === "blank" || kind === "comment") continue;
    if (indent === -1) {
      if (kind !== "item") return undefined;
      indent = at;
    }
    if (at > indent) continue;
    if (at < indent || kind !== "item") return undefined;
    items.push(start);
  }
  return items.length > 0 ? items : undefined;
}

/**
 * The pieces of `text` (whose line starts are `lineStarts`), in order and
 * covering it, or undefined when the file must be parsed as a whole.
 */
export function splitPieces(
  text: string,
  lineStarts: readonly number[],
  pieceChars = PIECE_CHARS,
): Piece[] | undefined {
  // Sections: the lines from one top-level key to the next.
  const sections: { key: string; line: number }[] = [];
  const keys = new Set<string>();
  for (let line = 0; line < lineStarts.length; line++) {
    const start = lineStarts[line]!;
    const c = text.charCodeAt(start);
    if (c === SPACE || c === HASH || c === LF || c === CR || Number.isNaN(c)) {
      const { kind } = lineKind(text, start);
      // Indented content before the first key: not a plain top-level mapping.
      if (sections.length === 0 && kind !== "blank" && kind !== "comment") return undefined;
      continue;
    }
    KEY_LINE.lastIndex = start;
    const match = KEY_LINE.exec(text);
    if (match) {
      const key = match[1]!;
      // A repeated key is an error that the whole-file parse reports.
      if (keys.has(key)) return undefined;
      keys.add(key);
      sections.push({ key, line });
      continue;
    }
    // A list item at column 0 continues the list of the section above (`users:\n- user: ...`).
    if (sections.length > 0 && lineKind(text, start).kind === "item") continue;
    return undefined;
  }
  if (sections.length === 0) return undefined;
  const pieces: Piece[] = [];
  sections.forEach((section, i) => {
    const startLine = i === 0 ? 0 : section.line;
    const endLine = sections[i + 1]?.line ?? lineStarts.length;
    const start = lineStarts[startLine]!;
    const end = i + 1 < sections.length ? lineStarts[endLine]! : text.length;
    const items = end - start > pieceChars ? listItems(text, lineStarts, section.line, endLine) : undefined;
    if (!items) {
      pieces.push({ start, end, key: section.key, items: false });
      return;
    }
    // The first piece holds the key and the first run of items (at least one); the others, runs of items alone.
    let pieceStart = start;
    let isItems = false;
    for (const item of items.slice(1)) {
      if (item - pieceStart >= pieceChars) {
        pieces.push({ start: pieceStart, end: item, key: section.key, items: isItems });
        pieceStart = item;
        isItems = true;
      }
    }
    pieces.push({ start: pieceStart, end, key: section.key, items: isItems });
  });
  return pieces;
}
