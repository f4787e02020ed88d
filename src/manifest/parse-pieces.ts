import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
import type { Document } from "yaml";
import {
  isPositionedSeq,
  positionsOf,
  type Positioned,
  type PositionedMap,
  type PositionedSeq,
} from "./source-positions.js";
import type { Piece } from "./split-pieces.js";

/** A file parsed piece by piece: the plain data of its one document and where each node was written. */
export interface PiecewiseParse {
  readonly data: Record<string, unknown>;
  readonly root: PositionedMap;
}

/** Anchors, aliases and tags tie pieces together (or change what they mean): such files are parsed whole. */
function usesAnchorsOrTags(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, (_, node) => {
    if (isAlias(node) || ((isScalar(node) || isMap(node) || isSeq(node)) && (node.anchor || node.tag))) {
      found = true;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

/** Sets `key` on a plain object the way the `yaml` package's toJS does. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in target)
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * Parses `text` in `pieces` (see splitPieces), each with the `yaml` package on
 * its own, so that memory holds one piece's syntax tree at a time rather than
 * the whole file's. Returns undefined whenever the result might differ from
 * parsing the file as a whole: the layout is not one that can be cut, a piece
 * has a YAML error or warning, or uses anchors, aliases or tags. The caller
 * then parses the whole file, which reports exactly what is wrong.
 */
export function parsePieces(
  text: string,
  pieces: readonly Piece[],
  maxAliasCount: number,
): PiecewiseParse | undefined {
  const data: Record<string, unknown> = {};
  const keys: string[] = [];
  const entries: (Positioned | null)[] = [];
  let rootOffset: number | undefined;
  let list: unknown[] = [];
  let listPositions: (Positioned | null)[] = [];
  let listKey: string | undefined;
  for (const piece of pieces) {
    const source = text.slice(piece.start, piece.end);
    const doc = parseDocument(source, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
    const contents = doc.contents;
    if (/[&*!]/.test(source) && usesAnchorsOrTags(doc)) return undefined;
    if (piece.items) {
      // A run of items continuing the list of the section before.
      if (!isSeq(contents) || contents.flow || listKey !== piece.key) return undefined;
      const items = doc.toJS({ maxAliasCount }) as unknown[];
      for (const item of items) list.push(item);
      const positioned = positionsOf(contents, doc, piece.start) as PositionedSeq;
      for (const item of positioned.items) listPositions.push(item);
      continue;
    }
    if (!isMap(contents) || contents.flow || contents.items.length !== 1) return undefined;
    const pair = contents.items[0]!;
    if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== piece.key) return undefined;
    rootOffset ??= (contents.range?.[0] ?? 0) + piece.start;
    const value = (doc.toJS({ maxAliasCount }) as Record<string, unknown>)[piece.key];
    const positioned = positionsOf(contents, doc, piece.start) as PositionedMap;
    const value0 = positioned.entries[1] ?? null;
    keys.push(piece.key);
    entries.push(positioned.entries[0]!, value0);
    setKey(data, piece.key, value);
    // Items that follow in pieces of their own are appended to this list.
    listKey = undefined;
    if (Array.isArray(value) && isPositionedSeq(value0)) {
      listKey = piece.key;
      list = value;
      listPositions = value0.items as (Positioned | null)[];
    }
  }
  if (rootOffset === undefined) return undefined;
  return { data, root: { offset: rootOffset, keys, entries } };
}
