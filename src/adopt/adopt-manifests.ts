import jsonpatch from "fast-json-patch";
import { visit, type Document, type Node } from "yaml";
import type { Catalog } from "../catalog/catalog.js";
import {
  ADOPT_FORMAT_VERSION,
  type AdoptEdit,
  type AdoptionResult,
  type AdoptSkip,
  type FileAdoption,
} from "../model/adopt.js";
import type { ResolvedDesiredState } from "../model/desired-state.js";
import type { DriftReport } from "../model/drift.js";
import type { LiveState } from "../model/live-state.js";
import type { JsonPatchOperation } from "../model/plan.js";
import { findGroup, findUser } from "../plan/principal-matching.js";
import { indexLiveState, type LiveIndex } from "../plan/live-index.js";
import { adoptionTargets, type PrincipalTarget, type TargetOptions } from "./adoption-targets.js";
import { editEntry, licenseItems, type NamingContext } from "./edit-entry.js";
import { itemSkus, readLicenseItem, resolveProfiles } from "./license-items.js";
import { placeNewEntry, type PlacementCandidate } from "./placement.js";
import {
  aliasedAnchors,
  anchorsIn,
  commentsIn,
  isMap,
  isSeq,
  itemSpan,
  lineOf,
  offsetAt,
  parseEditable,
  renderFlowValue,
  renderItem,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type EditableFile,
  type RenderStyle,
  type TextEdit,
} from "./yaml-text.js";

/** One manifest file as loaded. */
export interface ManifestText {
  /** The path the loader reports (relative to the working directory): what source locations name. */
  readonly path: string;
  /** The path shown and written in patches: relative to the repository root, `/` separators. */
  readonly shown: string;
  readonly text: string;
}

export interface AdoptInput {
  readonly drift: DriftReport;
  readonly resolved: ResolvedDesiredState;
  readonly live: LiveState;
  /** The tenant's catalog (its subscribedSkus): names resolve as the planner resolves them. */
  readonly catalog: Catalog;
  /** Every manifest file of the set, in the order the loader lists them. */
  readonly files: readonly ManifestText[];
  readonly options: TargetOptions & {
    /** `--into`: the `path` of the file new entries go to. */
    readonly into?: string;
  };
}

type Section = "users" | "groups";
const sectionOf = (target: PrincipalTarget): Section =>
  target.principal.kind === "user" ? "users" : "groups";

interface FileState {
  readonly source: ManifestText;
  readonly file: EditableFile;
  readonly style: RenderStyle;
  readonly edits: TextEdit[];
  readonly records: AdoptEdit[];
  readonly operations: JsonPatchOperation[];
  readonly removals: { document: number; section: Section; index: number }[];
  readonly additions: Map<string, { document: number; section: Section; nodes: YAMLMap[] }>;
}

function sectionList(document: Document.Parsed, section: Section): YAMLSeq | undefined {
  const node = isMap(document.contents) ? document.contents.get(section, true) : undefined;
  return isSeq(node) ? node : undefined;
}

/** Whether lists under keys are indented, judged by the first block list after a key in the file. */
function indentsLists(text: string): boolean {
  const match = /^( *)[\w-]+:[ \t]*(?:#.*)?\n(?: *#.*\n)*( *)- /m.exec(text);
  return match ? match[2]!.length > match[1]!.length : true;
}

const pointer = (documents: number, document: number, ...path: (string | number)[]) =>
  (documents > 1 ? [document, ...path] : path)
    .map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`)
    .join("");

/** The entry of a principal in the files: the list item whose text holds its source location. */
function findEntry(states: readonly FileState[], target: PrincipalTarget) {
  const location = target.principal.location;
  if (!location) return undefined;
  const state = states.find((s) => s.source.path === location.file);
  if (!state) return undefined;
  const offset = offsetAt(state.file, location.line, location.column);
  for (const [documentIndex, document] of state.file.documents.entries()) {
    const list = sectionList(document, sectionOf(target));
    if (!list) continue;
    // Items are in source order: a binary search keeps large files fast.
    let low = 0;
    let high = list.items.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = (list.items[mid] as Node).range;
      if (!range) break;
      if (offset < range[0]) high = mid - 1;
      else if (offset >= range[2]) low = mid + 1;
      else return { state, documentIndex, document, list, index: mid, node: list.items[mid] as YAMLMap };
    }
  }
  return undefined;
}

/**
 * The manifest edit that adopts the drift: pure, synchronous, and it reads
 * nothing but its input. Each file's text changes only on the lines of the
 * entries it edits, removes or adds; the result carries the new text, the
 * RFC 6902 operations on the file's data, and per edit the drift items it
 * adopts.
 */
export function adoptManifests(input: AdoptInput): AdoptionResult {
  const index: LiveIndex = indexLiveState(input.live);
  const { targets, skipped: skippedTargets } = adoptionTargets(
    input.drift,
    input.resolved,
    index,
    input.options,
  );
  const skipped: AdoptSkip[] = [...skippedTargets];
  const states: FileState[] = input.files.map((source) => {
    const file = parseEditable(source.text);
    return {
      source,
      file,
      style: { flowPadding: file.flowPadding, indentSeq: indentsLists(source.text) },
      edits: [],
      records: [],
      operations: [],
      removals: [],
      additions: new Map(),
    };
  });
  const data = states.flatMap((s) =>
    s.file.documents.map((d) => ({
      profiles: (d.get("profiles", true) as Node | undefined)?.toJS(d) as unknown,
    })),
  );
  const profiles = resolveProfiles(data, input.catalog);
  const naming: NamingContext = {
    catalog: input.catalog,
    profiles,
    profilesByName: new Map(profiles.map((p) => [p.name, p])),
    scope: new Set(input.resolved.scope.skuIds.map((id) => id.toLowerCase())),
  };

  const newEntries: PrincipalTarget[] = [];
  const aliasCache = new Map<Document.Parsed, Set<string>>();
  for (const target of targets) {
    const found = findEntry(states, target);
    if (!found) {
      if (target.principal.location === undefined) newEntries.push(target);
      continue;
    }
    const { state, document, documentIndex, index: at, node } = found;
    const anchors = anchorsIn(node);
    let aliased = anchors.length > 0 ? aliasCache.get(document) : undefined;
    if (anchors.length > 0 && aliased === undefined) {
      aliased = aliasedAnchors(document);
      aliasCache.set(document, aliased);
    }
    const shared = anchors.find((anchor) => aliased?.has(anchor));
    const span = itemSpan(state.file, node);
    if (shared !== undefined || span === undefined) {
      skipped.push({
        principal: target.principal,
        reason: shared !== undefined ? "shared-anchor" : "unsupported-layout",
        changeIds: [...new Set(target.items.map((i) => i.changeId))],
        ...(shared !== undefined ? { anchor: shared } : {}),
      });
      continue;
    }
    const copy = node.clone() as YAMLMap;
    const outcome = editEntry(copy, target, naming, document);
    const original = state.file.text.slice(span.start, span.end);
    const record = {
      principal: target.principal,
      file: state.source.shown,
      line: lineOf(state.file, span.start),
      items: target.items,
    };
    if (outcome.kind === "removed") {
      // The entry goes; its comments stay, where it was.
      const comments = commentsIn(original)
        .map((c) => `${span.indent}${c}\n`)
        .join("");
      state.edits.push({ start: span.start, end: span.end, text: comments });
      state.removals.push({ document: documentIndex, section: sectionOf(target), index: at });
      state.records.push({ ...record, action: "remove-entry" });
      continue;
    }
    state.edits.push({
      start: span.start,
      end: span.end,
      text: renderItem(copy, span.indent, state.style, original),
    });
    const before = node.toJS(document, { maxAliasCount: -1 }) as unknown;
    const after = copy.toJS(document, { maxAliasCount: -1 }) as unknown;
    const prefix = pointer(state.file.documents.length, documentIndex, sectionOf(target), at);
    for (const op of jsonpatch.compare(before as object, after as object))
      state.operations.push({ ...op, path: `${prefix}${op.path}` } as JsonPatchOperation);
    state.records.push({
      ...record,
      action: "edit-entry",
      ...(outcome.profiles.length > 0 ? { profiles: outcome.profiles } : {}),
    });
  }

  placeNewEntries(newEntries, states, naming, index, input.options.into);
  const files: FileAdoption[] = [];
  for (const state of states) {
    if (state.records.length === 0) continue;
    files.push(finishFile(state));
  }
  return {
    formatVersion: ADOPT_FORMAT_VERSION,
    tenant: { id: input.live.tenant.id.toLowerCase(), displayName: input.live.tenant.displayName },
    files,
    skipped,
  };
}

/** The name a new entry is written with: the user's userPrincipalName; a group's displayName unless another group bears it. */
function entryName(target: PrincipalTarget, index: LiveIndex): string {
  if (target.principal.kind === "user")
    return findUser(index, target.principal.id)?.userPrincipalName ?? target.principal.name;
  const group = index.groups.get(target.principal.id);
  if (!group) return target.principal.id;
  const byName = findGroup(index, group.displayName);
  return byName.kind === "found" && byName.group.id.toLowerCase() === target.principal.id
    ? group.displayName
    : target.principal.id;
}

function placeNewEntries(
  targets: readonly PrincipalTarget[],
  states: FileState[],
  naming: NamingContext,
  index: LiveIndex,
  into: string | undefined,
): void {
  if (targets.length === 0 || states.length === 0) return;
  const intoIndex = into === undefined ? undefined : states.findIndex((s) => s.source.path === into);
  const signature = (node: unknown): Set<string> => {
    const list = isMap(node) ? node.get("licenses", true) : undefined;
    const items = isSeq(list) ? list.items : [];
    return new Set(
      items.map((item) => {
        const read = readLicenseItem(item, naming.catalog, naming.profilesByName);
        return read.kind === "profile" ? `profile:${read.name}` : `sku:${itemSkus(read).join(",")}`;
      }),
    );
  };
  const candidates = new Map<Section, PlacementCandidate[]>();
  const candidatesOf = (section: Section) => {
    const known = candidates.get(section);
    if (known) return known;
    const made = states.map((state, file) => ({
      file,
      signatures: state.file.documents.flatMap((d) => sectionList(d, section)?.items.map(signature) ?? []),
    }));
    candidates.set(section, made);
    return made;
  };

  for (const target of targets) {
    const section = sectionOf(target);
    const licenses = new Map<string, readonly string[]>();
    for (const [skuId, plans] of target.licenses) if (plans !== null) licenses.set(skuId, plans);
    if (licenses.size === 0) continue;
    const { items, profiles } = licenseItems(licenses, naming);
    const entry = new YAMLMap();
    entry.set(target.principal.kind, new Scalar(entryName(target, index)));
    const live = target.principal.kind === "user" ? index.users.get(target.principal.id) : undefined;
    const placed = placeNewEntry(
      signature(entryWith(items)),
      candidatesOf(section),
      intoIndex === -1 ? undefined : intoIndex,
    );
    const state = states[placed.file]!;
    const peers = state.file.documents.flatMap((d) => sectionList(d, section)?.items ?? []);
    // Users are written with their usage location when the file's users declare theirs.
    if (live?.usageLocation && peers.some((p) => isMap(p) && p.has("usageLocation")))
      entry.set("usageLocation", new Scalar(live.usageLocation));
    const list = new YAMLSeq();
    list.items.push(...items);
    entry.set("licenses", list);
    const documentIndex = Math.max(
      0,
      state.file.documents.findIndex((d) => sectionList(d, section) !== undefined),
    );
    const key = `${documentIndex}:${section}`;
    const addition = state.additions.get(key) ?? { document: documentIndex, section, nodes: [] };
    addition.nodes.push(entry);
    state.additions.set(key, addition);
    state.records.push({
      principal: target.principal,
      action: "add-entry",
      file: state.source.shown,
      line: 0,
      items: target.items,
      placement: placed.reason,
      ...(profiles.length > 0 ? { profiles } : {}),
    });
  }
}

/** A copy of a new entry written on one line, for a flow list. */
function asFlow(node: YAMLMap): YAMLMap {
  const copy = node.clone() as YAMLMap;
  visit(copy, {
    Map: (_, map) => {
      map.flow = true;
    },
    Seq: (_, seq) => {
      seq.flow = true;
    },
  });
  return copy;
}

function entryWith(items: YAMLMap[]): YAMLMap {
  const entry = new YAMLMap();
  const list = new YAMLSeq();
  list.items.push(...items);
  entry.set("licenses", list);
  return entry;
}

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

/** Applies a file's text edits, adds its new entries, and checks the operations against the result. */
function finishFile(state: FileState): FileAdoption {
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
