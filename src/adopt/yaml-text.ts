import {
  Document,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isScalar,
  isSeq,
  Lexer,
  parseAllDocuments,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
  type Node,
  type Pair,
} from "yaml";

/**
 * The text side of adoption. Every untouched byte of a manifest file stays
 * as it was: an edited entry is re-rendered through the `yaml` Document API
 * (which keeps its comments, quoting, flow or block style and anchors) and
 * spliced back over its own lines; everything else is the original text.
 */

/** A manifest file parsed for editing. */
export interface EditableFile {
  readonly text: string;
  readonly documents: readonly Document.Parsed[];
  /** Offsets of line starts. */
  readonly lineStarts: readonly number[];
  /** `[a, b]` or `[ a, b ]`, as the file writes flow lists. */
  readonly flowPadding: boolean;
}

/** A replacement of text[start, end). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function parseEditable(text: string): EditableFile {
  const documents = parseAllDocuments(text, {
    keepSourceTokens: true,
    uniqueKeys: true,
  }) as Document.Parsed[];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const flowPadding = /[[{] [^\s\]}]/.test(text) && !/[[{][^\s\]}[{]/.test(text);
  return { text, documents: Array.isArray(documents) ? documents : [documents], lineStarts, flowPadding };
}

export function offsetAt(file: EditableFile, line: number, column: number): number {
  return (file.lineStarts[line - 1] ?? file.text.length) + column - 1;
}

export function lineOf(file: EditableFile, offset: number): number {
  let low = 0;
  let high = file.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (file.lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** Where an item of a block list is written: from the start of its `- ` line to the end of its last line. */
export interface ItemSpan {
  readonly start: number;
  readonly end: number;
  /** The whitespace before `-`. */
  readonly indent: string;
}

export function itemSpan(file: EditableFile, node: Node): ItemSpan | undefined {
  const range = node.range;
  if (!range) return undefined;
  let dash = range[0] - 1;
  while (dash >= 0 && (file.text[dash] === " " || file.text[dash] === "\n" || file.text[dash] === "\r"))
    dash--;
  if (file.text[dash] !== "-") return undefined;
  const lineStart = file.text.lastIndexOf("\n", dash) + 1;
  const indent = file.text.slice(lineStart, dash);
  if (!/^ *$/.test(indent)) return undefined;
  let end = range[2];
  if (end > 0 && file.text[end - 1] !== "\n") {
    const newline = file.text.indexOf("\n", end);
    end = newline === -1 ? file.text.length : newline + 1;
  }
  return { start: lineStart, end, indent };
}

/** Comments written in a stretch of YAML text, in order (`# ...`). */
export function commentsIn(text: string): string[] {
  return [...new Lexer().lex(text)].filter((token) => token.startsWith("#"));
}

/** Every comment attached to a node and its descendants. */
function commentsOf(node: unknown): string[] {
  const found: string[] = [];
  const take = (n: { commentBefore?: string | null; comment?: string | null }) => {
    if (n.commentBefore) found.push(n.commentBefore);
    if (n.comment) found.push(n.comment);
  };
  if (isNode(node)) take(node);
  if (isCollection(node) || isNode(node))
    visit(node as Node, {
      Node: (_, n) => {
        if (n !== node) take(n);
      },
    });
  return found;
}

/**
 * Removes item `index` of a list or map, keeping the comments written on it:
 * they move before the next item, or after the collection when it was the last.
 */
export function removeKeepingComments(collection: YAMLSeq | YAMLMap, index: number): void {
  const item = collection.items[index] as Node | Pair;
  const comments = isNode(item)
    ? commentsOf(item)
    : [...commentsOf((item as Pair).key), ...commentsOf((item as Pair).value)];
  collection.items.splice(index, 1);
  if (comments.length === 0) return;
  const text = comments.join("\n");
  const next = collection.items[index] as Node | Pair | undefined;
  const holder =
    next === undefined ? undefined : isNode(next) ? next : ((next as Pair).key as Node | undefined);
  if (holder && isNode(holder))
    holder.commentBefore = holder.commentBefore ? `${text}\n${holder.commentBefore}` : text;
  else collection.comment = collection.comment ? `${collection.comment}\n${text}` : text;
}

/** Options for rendering, taken from the file so new text looks like the old. */
export interface RenderStyle {
  readonly flowPadding: boolean;
  /** Whether block lists under a key are indented (`key:\n  - a`) or not (`key:\n- a`). */
  readonly indentSeq: boolean;
}

/**
 * Renders `node` as one item of a block list at `indent`. Aliases to anchors
 * outside the node are written back as `*name`; lines the edit did not change
 * are taken from `original`, byte for byte (alignment of comments included).
 */
export function renderItem(node: Node, indent: string, style: RenderStyle, original = ""): string {
  const aliases: string[] = [];
  const copy = node.clone() as Node;
  visit(copy, {
    Alias: (_, alias) => {
      aliases.push(alias.source);
      return new Scalar(`__licensectl_alias_${aliases.length - 1}__`);
    },
  });
  copy.commentBefore = null;
  copy.spaceBefore = false;
  const document = new Document();
  document.contents = new YAMLSeq();
  (document.contents as YAMLSeq).items.push(copy);
  let text = document.toString({
    lineWidth: 0,
    flowCollectionPadding: style.flowPadding,
    indentSeq: style.indentSeq,
  });
  text = text.replace(/__licensectl_alias_(\d+)__/g, (_, i: string) => `*${aliases[Number(i)]}`);
  const unchanged = new Map<string, string[]>();
  for (const line of original.replace(/\n$/, "").split("\n")) {
    const key = normalizeLine(line);
    unchanged.set(key, [...(unchanged.get(key) ?? []), line]);
  }
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => {
      const indented = line === "" ? "" : `${indent}${line}`;
      const same = unchanged.get(normalizeLine(indented));
      return same && same.length > 0 ? same.shift()! : indented;
    })
    .map((line) => `${line}\n`)
    .join("");
}

/** A line with the spacing before its comment and at its end ignored. */
function normalizeLine(line: string): string {
  return line.replace(/\s+#/, " #").trimEnd();
}

/** A rendered value node (a list, for `key: value`), without a trailing newline. */
export function renderFlowValue(node: Node, style: RenderStyle): string {
  const document = new Document();
  document.contents = node;
  return document.toString({ lineWidth: 0, flowCollectionPadding: style.flowPadding }).replace(/\n$/, "");
}

/** Anchor names that aliases anywhere in the document point to. */
export function aliasedAnchors(document: Document.Parsed): Set<string> {
  const names = new Set<string>();
  visit(document, {
    Alias: (_, alias) => {
      names.add(alias.source);
    },
  });
  return names;
}

/** The anchors a node (or a node inside it) defines. */
export function anchorsIn(node: Node): string[] {
  const found: string[] = [];
  if (node.anchor) found.push(node.anchor);
  visit(node, {
    Node: (_, n) => {
      if (n !== node && n.anchor) found.push(n.anchor);
    },
  });
  return found;
}

/** The node at `key` of a map, with an alias replaced by a copy of what it points to, so it can be edited alone. */
export function ownValue(map: YAMLMap, key: string, document: Document.Parsed): Node | undefined {
  const value = map.get(key, true) as Node | undefined;
  if (!isAlias(value)) return value;
  const target = value.resolve(document);
  if (!target) return undefined;
  const copy = target.clone() as Node;
  copy.anchor = undefined;
  map.set(key, copy);
  return copy;
}

export { isMap, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq };
