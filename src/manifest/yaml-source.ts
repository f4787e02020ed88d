import { LineCounter, parseAllDocuments, visit } from "yaml";
import type { Problem, SourceLocation } from "../model/problem.js";
import {
  currentHeap,
  KEPT_BYTES_PER_BYTE,
  memoryProblem,
  WHOLE_PARSE_BYTES_PER_BYTE,
  type HeapState,
} from "./memory-budget.js";
import { parsePieces } from "./parse-pieces.js";
import { splitPieces } from "./split-pieces.js";
import {
  isPositionedMap,
  isPositionedSeq,
  lineStartsOf,
  linePositions,
  offsetOf,
  positionIn,
  positionsOf,
  type LinePositions,
  type Positioned,
} from "./source-positions.js";

/** Aliases a file may expand (yaml's resource-exhaustion bound), so `*a` bombs fail fast. */
export const MAX_ALIAS_COUNT = 100;

/** One YAML document of a manifest file, its plain data and a way back to positions. */
export interface ParsedDocument {
  readonly file: string;
  /** 0-based index of the document in its file (files may hold several, separated by `---`). */
  readonly index: number;
  readonly data: unknown;
  /** Where each node of the document was written; null for an empty document. */
  readonly root: Positioned | null;
  readonly lines: LinePositions;
}

export type PathSegment = string | number;

/**
 * Where the node at `path` was written. `target: "key"` points at the key of
 * a map entry (for unknown keys); a path that does not exist points at the
 * deepest node that does (for missing keys).
 */
export function locate(
  parsed: ParsedDocument,
  path: readonly PathSegment[],
  target: "key" | "value" = "value",
): SourceLocation {
  let node = parsed.root;
  let offset = node === null ? 0 : offsetOf(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    let next: Positioned | null | undefined;
    if (isPositionedMap(node)) {
      const at = node.keys.indexOf(String(segment));
      if (at >= 0) {
        const keyOffset = node.entries[2 * at] as number;
        if (i === path.length - 1 && target === "key")
          return positionIn(parsed.file, parsed.lines, keyOffset);
        next = node.entries[2 * at + 1];
        if (next === null) return positionIn(parsed.file, parsed.lines, keyOffset);
      }
    } else if (isPositionedSeq(node) && typeof segment === "number") {
      next = node.items[segment];
    }
    if (next === null || next === undefined) break;
    node = next;
    offset = offsetOf(next);
  }
  return positionIn(parsed.file, parsed.lines, offset);
}

/** A manifest file's documents and problems, and whether it was parsed in pieces. */
export interface ParsedFile {
  readonly documents: ParsedDocument[];
  readonly problems: Problem[];
  readonly piecewise: boolean;
}

/** How a file that cannot be parsed in pieces is named in a file-too-large error. */
const WHOLE_PARSE =
  "parsing it as a whole (as files with anchors, aliases, tags, several documents, YAML errors or an unusual layout are)";

/** How to parse: in pieces where that gives the same result (default), or always as a whole. */
export interface ParseOptions {
  readonly pieces?: boolean;
  /** Size of the pieces lists are cut into (see PIECE_CHARS). */
  readonly pieceChars?: number;
  readonly heap?: () => HeapState;
}

/**
 * Parses a manifest file's text into documents, reporting every YAML problem
 * with its position. Large files in the usual layout are parsed in pieces
 * (see parsePieces), in a fraction of the memory; any file whose pieces might
 * not mean what the whole means is parsed as a whole, so both ways give the
 * same data, positions and problems. `pieces: false` forces the whole parse.
 */
export function parseYamlFile(file: string, text: string, options: ParseOptions = {}): ParsedFile {
  const heap = options.heap ?? currentHeap;
  if (options.pieces !== false) {
    const lineStarts = lineStartsOf(text);
    const pieces = splitPieces(text, lineStarts, options.pieceChars);
    if (pieces) {
      // The largest piece is parsed whole while the data of the others is kept.
      const largest = pieces.reduce((most, p) => Math.max(most, p.end - p.start), 0);
      const needs = largest * WHOLE_PARSE_BYTES_PER_BYTE + text.length * KEPT_BYTES_PER_BYTE;
      const tooLarge = memoryProblem(
        { path: file, size: text.length, needs, held: 0, doing: "parsing it" },
        heap(),
      );
      if (tooLarge) return { documents: [], problems: [tooLarge], piecewise: false };
      const parsed = parsePieces(text, pieces, MAX_ALIAS_COUNT);
      if (parsed) {
        const lines = linePositions(lineStarts);
        return { documents: [{ file, index: 0, ...parsed, lines }], problems: [], piecewise: true };
      }
    }
  }
  const needs = text.length * WHOLE_PARSE_BYTES_PER_BYTE;
  const tooLarge = memoryProblem(
    { path: file, size: text.length, needs, held: 0, doing: WHOLE_PARSE },
    heap(),
  );
  if (tooLarge) return { documents: [], problems: [tooLarge], piecewise: false };
  return { ...parseWhole(file, text), piecewise: false };
}

function parseWhole(file: string, text: string): { documents: ParsedDocument[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const documents: ParsedDocument[] = [];
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, index) => {
    let failed = false;
    for (const error of doc.errors) {
      failed = true;
      const duplicate = error.code === "DUPLICATE_KEY";
      problems.push({
        code: duplicate ? "duplicate-key" : "yaml-syntax",
        severity: "error",
        message: duplicate
          ? "this key appears twice in the same mapping"
          : `YAML syntax error: ${error.message}`,
        hint: duplicate
          ? "Remove one of the two entries or merge them; YAML keys must be unique within a mapping."
          : "Check the indentation, colons and quotes around this position.",
        location: positionIn(file, lineCounter, error.pos[0]),
      });
    }
    for (const warning of doc.warnings) {
      problems.push({
        code: "yaml-warning",
        severity: "warning",
        message: warning.message,
        location: positionIn(file, lineCounter, warning.pos[0]),
      });
    }
    if (failed) return;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      let aliasOffset = 0;
      visit(doc, {
        Alias(_, alias) {
          aliasOffset = alias.range?.[0] ?? 0;
          return visit.BREAK;
        },
      });
      const reason = (error as Error).message;
      if (reason.startsWith("Unresolved alias")) {
        problems.push({
          code: "yaml-unresolved-alias",
          severity: "error",
          message: `YAML syntax error: ${reason}`,
          hint: "Define the anchor (&name) before the alias (*name) that uses it, or write the entry out.",
          location: positionIn(file, lineCounter, aliasOffset),
        });
        return;
      }
      problems.push({
        code: "too-many-aliases",
        severity: "error",
        message: `YAML aliases expand to too much data (${reason})`,
        hint: `Write the entries out instead of nesting aliases; at most ${MAX_ALIAS_COUNT} alias expansions are allowed per document.`,
        location: positionIn(file, lineCounter, aliasOffset),
      });
      return;
    }
    // The positions are all that is kept of the document: its node tree is many times the data.
    documents.push({ file, index, data, root: positionsOf(doc.contents, doc), lines: lineCounter });
  });
  return { documents, problems };
}
