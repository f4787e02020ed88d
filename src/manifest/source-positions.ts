import { isAlias, isMap, isScalar, isSeq } from "yaml";
import type { Document, Node } from "yaml";
import type { SourceLocation } from "../model/problem.js";

/**
 * Where each node of a YAML document was written, without the document: a
 * mirror of its mappings and lists holding offsets into the file's text. It
 * costs a fraction of the `yaml` package's node tree, which is dropped once
 * this is built, so large manifests keep only their data and these offsets.
 */
export type Positioned = number | PositionedMap | PositionedSeq;

/** A mapping: its offset, and per entry the key (as text), the key's offset and the value. */
export interface PositionedMap {
  readonly offset: number;
  /** String(key.value) of scalar keys; null for keys that are not scalars (they cannot be looked up). */
  readonly keys: readonly (string | null)[];
  /**
   * Entry i's key offset at [2i] and its value at [2i + 1] (null where the
   * entry has no value node): one array per mapping, which counts for
   * 65,000 users.
   */
  readonly entries: readonly (Positioned | null)[];
}

/** A list: its offset and its items (null where an item has no range, e.g. a pair in a flow list). */
export interface PositionedSeq {
  readonly offset: number;
  readonly items: readonly (Positioned | null)[];
}

export const offsetOf = (node: Positioned): number => (typeof node === "number" ? node : node.offset);
export const isPositionedMap = (node: Positioned | null | undefined): node is PositionedMap =>
  typeof node === "object" && node !== null && "keys" in node;
export const isPositionedSeq = (node: Positioned | null | undefined): node is PositionedSeq =>
  typeof node === "object" && node !== null && "items" in node;

/** Identical key lists (every user entry has the same few) are kept once. */
const sharedKeys: (readonly (string | null)[])[] = [];
function share(keys: (string | null)[]): readonly (string | null)[] {
  for (const known of sharedKeys) {
    if (known.length === keys.length && known.every((key, i) => key === keys[i])) return known;
  }
  if (sharedKeys.length < 64 && keys.length <= 8) sharedKeys.push(keys);
  return keys;
}

/**
 * The positions of `node` and everything below it, each offset moved by
 * `base` (where the parsed text starts in its file). Aliases point at their
 * own offset and hold the children of the node they stand for, as `locate`
 * on the document resolves them.
 */
export function positionsOf(node: unknown, doc: Document.Parsed, base = 0): Positioned | null {
  const seen = new Map<unknown, Positioned | null>();
  const walk = (current: unknown): Positioned | null => {
    const range = (current as Node | undefined)?.range;
    if (!range) return null;
    const offset = range[0] + base;
    if (isAlias(current)) {
      const target = walk(current.resolve(doc));
      return target === null || typeof target === "number" ? offset : { ...target, offset };
    }
    if (seen.has(current)) return seen.get(current)!;
    let result: Positioned = offset;
    if (isMap(current)) {
      const pairs = current.items;
      // Arrays of their exact size: a pushed-to array reserves room for 17.
      const keys = new Array<string | null>(pairs.length);
      const entries = new Array<Positioned | null>(pairs.length * 2);
      for (let i = 0; i < pairs.length; i++) {
        const pair = pairs[i]!;
        const key = pair.key;
        keys[i] = isScalar(key) ? String(key.value) : null;
        entries[2 * i] = ((key as Node | null)?.range?.[0] ?? range[0]) + base;
        entries[2 * i + 1] = pair.value === null || pair.value === undefined ? null : walk(pair.value);
      }
      result = { offset, keys: share(keys), entries };
    } else if (isSeq(current)) {
      const items = new Array<Positioned | null>(current.items.length);
      for (let i = 0; i < items.length; i++) items[i] = walk(current.items[i]);
      result = { offset, items };
    }
    seen.set(current, result);
    return result;
  };
  return walk(node);
}

/** Line and column of offsets in one file's text, as the `yaml` package's LineCounter counts them. */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

/** The offsets at which lines start: 0 and every offset after a line feed. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}

/** Line positions from the line starts of a text (the same answers as yaml's LineCounter). */
export function linePositions(starts: readonly number[]): LinePositions {
  return {
    linePos(offset) {
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (starts[mid]! < offset) low = mid + 1;
        else high = mid;
      }
      if (starts[low] === offset) return { line: low + 1, col: 1 };
      if (low === 0) return { line: 0, col: offset };
      return { line: low, col: offset - starts[low - 1]! + 1 };
    },
  };
}

/** The location of `offset` in `file`. */
export function positionIn(file: string, lines: LinePositions, offset: number): SourceLocation {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}
