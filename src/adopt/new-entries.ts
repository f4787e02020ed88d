import { visit } from "yaml";
import { findGroup, findUser } from "../plan/principal-matching.js";
import type { LiveIndex } from "../plan/live-index.js";
import type { PrincipalTarget } from "./adoption-targets.js";
import { licenseItems, type NamingContext } from "./edit-entry.js";
import { sectionList, sectionOf, type FileState, type Section } from "./file-state.js";
import { itemSkus, readLicenseItem } from "./license-items.js";
import { placeNewEntry, type PlacementCandidate } from "./placement.js";
import { isMap, isSeq, Scalar, YAMLMap, YAMLSeq } from "./yaml-text.js";

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

/** Writes an entry for each principal the manifests do not mention, in the file the placement rule picks. */
export function placeNewEntries(
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
export function asFlow(node: YAMLMap): YAMLMap {
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
