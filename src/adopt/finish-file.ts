import type { Node } from "yaml";
import type { FileAdoption } from "../model/adopt.js";
import { pointer, sectionList, type FileState } from "./file-state.js";
import { asFlow } from "./new-entries.js";
import { isMap, itemSpan, lineOf, renderFlowValue, renderItem, Scalar, type TextEdit } from "./yaml-text.js";

/**
 * A list whose every entry was removed would be left as `users:` (null), which
 * the schema refuses: it becomes `users: []`, unless new entries go into it.
 */
function emptiedLists(state: FileState): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const [documentIndex, document] of state.file.documents.entries()) {
    for (const section of ["users", "groups"] as const) {
      const list = sectionList(document, section);
      const removed = state.removals.filter(
        (r) => r.document === documentIndex && r.section === section,
      ).length;
      if (!list || list.flow || removed === 0 || removed < list.items.length) continue;
      if (state.additions.has(`${documentIndex}:${section}`)) continue;
      const pair = isMap(document.contents)
        ? document.contents.items.find((p) => (p.key as Scalar | undefined)?.value === section)
        : undefined;
      const keyEnd = (pair?.key as Node | undefined)?.range?.[1];
      if (keyEnd === undefined) continue;
      const colon = state.file.text.indexOf(":", keyEnd);
      edits.push({ start: colon + 1, end: colon + 1, text: " []" });
    }
  }
  return edits;
}

/** Applies a file's text edits and adds its new entries: the new text, and the operations in order. */
export function finishFile(state: FileState): FileAdoption {
  const { file } = state;
  const operations = [...state.operations];
  const edits = [...state.edits];
  const count = file.documents.length;
  for (const removal of [...state.removals].sort((a, b) => b.document - a.document || b.index - a.index))
    operations.push({ op: "remove", path: pointer(count, removal.document, removal.section, removal.index) });
  edits.push(...emptiedLists(state));
  const lines = new Map<string, number>();
  // New entries of existing lists first: at the end of a file they come before a new section.
  const additions = [...state.additions.values()].sort(
    (a, b) =>
      Number(sectionList(file.documents[a.document]!, a.section) === undefined) -
      Number(sectionList(file.documents[b.document]!, b.section) === undefined),
  );
  for (const addition of additions) {
    const document = file.documents[addition.document]!;
    const list = sectionList(document, addition.section);
    const values = addition.nodes.map((n) => n.toJS(document) as unknown);
    const last = list?.items[list.items.length - 1] as Node | undefined;
    const span = last ? itemSpan(file, last) : undefined;
    if (list && span) {
      const blank = list.items.some((item) => (item as Node).spaceBefore) ? "\n" : "";
      const text = addition.nodes.map((n) => blank + renderItem(n, span.indent, state.style)).join("");
      edits.push({ start: span.end, end: span.end, text });
      lines.set(addition.section, lineOf(file, span.end - 1));
      for (const value of values)
        operations.push({ op: "add", path: pointer(count, addition.document, addition.section, "-"), value });
      continue;
    }
    const indent = state.style.indentSeq ? "  " : "";
    const block = addition.nodes.map((n) => renderItem(n, indent, state.style)).join("");
    if (list?.range && list.items.length > 0) {
      // A flow list with entries (`users: [{ user: a, ... }]`) gets the new ones in flow style, before its `]`.
      const close = file.text.lastIndexOf("]", list.range[1]);
      const flow = addition.nodes.map((n) => `, ${renderFlowValue(asFlow(n), state.style)}`).join("");
      edits.push({ start: close, end: close, text: flow });
      lines.set(addition.section, lineOf(file, close));
      for (const value of values)
        operations.push({ op: "add", path: pointer(count, addition.document, addition.section, "-"), value });
      continue;
    }
    if (list?.range) {
      // An empty flow list (`users: []`) becomes a block list.
      edits.push({ start: list.range[0], end: list.range[1], text: `\n${block.replace(/\n$/, "")}` });
      lines.set(addition.section, lineOf(file, list.range[0]));
      for (const value of values)
        operations.push({ op: "add", path: pointer(count, addition.document, addition.section, "-"), value });
      continue;
    }
    const end = document.range[1];
    const before = file.text.slice(0, end);
    const gap = before.endsWith("\n") || before === "" ? "" : "\n";
    edits.push({ start: end, end, text: `${gap}${addition.section}:\n${block}` });
    lines.set(addition.section, lineOf(file, Math.max(0, end - 1)));
    operations.push({ op: "add", path: pointer(count, addition.document, addition.section), value: values });
  }
  let after = file.text;
  // From the end backwards, so offsets stay valid; of two insertions at one place, the first made comes first.
  const ordered = edits.map((edit, order) => ({ edit, order }));
  ordered.sort((a, b) => b.edit.start - a.edit.start || b.edit.end - a.edit.end || b.order - a.order);
  for (const { edit } of ordered) after = after.slice(0, edit.start) + edit.text + after.slice(edit.end);
  const records = state.records.map((r) =>
    r.action === "add-entry"
      ? { ...r, line: lines.get(r.principal.kind === "user" ? "users" : "groups") ?? 0 }
      : r,
  );
  return {
    path: state.source.shown,
    before: file.text,
    after,
    operations,
    edits: records,
  };
}
