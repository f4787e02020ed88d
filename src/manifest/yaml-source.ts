import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from "yaml";
import type { Document, Node } from "yaml";
import type { Problem, SourceLocation } from "../model/problem.js";

/** Aliases a file may expand (yaml's resource-exhaustion bound), so `*a` bombs fail fast. */
export const MAX_ALIAS_COUNT = 100;

/** One YAML document of a manifest file, its plain data and a way back to positions. */
export interface ParsedDocument {
  readonly file: string;
  /** 0-based index of the document in its file (files may hold several, separated by `---`). */
  readonly index: number;
  readonly data: unknown;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export type PathSegment = string | number;

function position(file: string, lineCounter: LineCounter, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

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
  let node: unknown = parsed.doc.contents;
  let offset = parsed.doc.contents?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(parsed.doc);
    const segment = path[i]!;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair && isPair(pair)) {
        const keyNode = pair.key as Node;
        if (i === path.length - 1 && target === "key")
          return position(parsed.file, parsed.lineCounter, keyNode.range?.[0] ?? offset);
        next = pair.value ?? undefined;
        if (next === undefined)
          return position(parsed.file, parsed.lineCounter, keyNode.range?.[0] ?? offset);
      }
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment];
    }
    const range = (next as Node | undefined)?.range;
    if (!range) break;
    node = next;
    offset = range[0];
  }
  return position(parsed.file, parsed.lineCounter, offset);
}

/** Parses a manifest file's text into documents, reporting every YAML problem with its position. */
export function parseYamlFile(
  file: string,
  text: string,
): { documents: ParsedDocument[]; problems: Problem[] } {
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
        location: position(file, lineCounter, error.pos[0]),
      });
    }
    for (const warning of doc.warnings) {
      problems.push({
        code: "yaml-warning",
        severity: "warning",
        message: warning.message,
        location: position(file, lineCounter, warning.pos[0]),
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
          location: position(file, lineCounter, aliasOffset),
        });
        return;
      }
      problems.push({
        code: "too-many-aliases",
        severity: "error",
        message: `YAML aliases expand to too much data (${reason})`,
        hint: `Write the entries out instead of nesting aliases; at most ${MAX_ALIAS_COUNT} alias expansions are allowed per document.`,
        location: position(file, lineCounter, aliasOffset),
      });
      return;
    }
    documents.push({ file, index, data, doc, lineCounter });
  });
  return { documents, problems };
}
