import jsonpatch from "fast-json-patch";
import type { Document, Node } from "yaml";
import type { Catalog } from "../catalog/catalog.js";
import {
  ADOPT_FORMAT_VERSION,
  type AdoptionResult,
  type AdoptSkip,
  type FileAdoption,
} from "../model/adopt.js";
import type { ResolvedDesiredState } from "../model/desired-state.js";
import type { DriftReport } from "../model/drift.js";
import type { LiveState } from "../model/live-state.js";
import type { JsonPatchOperation } from "../model/plan.js";
import { indexLiveState, type LiveIndex } from "../plan/live-index.js";
import { adoptionTargets, type PrincipalTarget, type TargetOptions } from "./adoption-targets.js";
import { editEntry, type NamingContext } from "./edit-entry.js";
import {
  indentsLists,
  pointer,
  sectionList,
  sectionOf,
  type FileState,
  type ManifestText,
} from "./file-state.js";
import { finishFile } from "./finish-file.js";
import { resolveProfiles } from "./license-items.js";
import { placeNewEntries } from "./new-entries.js";
import {
  aliasedAnchors,
  anchorsIn,
  commentsIn,
  itemSpan,
  lineOf,
  offsetAt,
  parseEditable,
  renderItem,
  YAMLMap,
} from "./yaml-text.js";

export type { ManifestText } from "./file-state.js";

/** What adoptManifests reads: the drift, what it was computed from, and the manifest files' text. */
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
      // An entry the loader read but that is not an item of a users:/groups: list here is never guessed at.
      else
        skipped.push({
          principal: target.principal,
          reason: "unsupported-layout",
          changeIds: [...new Set(target.items.map((i) => i.changeId))],
        });
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
