import type {
  AssignedLicense,
  LicenseAssignmentState,
  LiveGroup,
  LiveSku,
  LiveTenant,
  LiveUser,
} from "../model/live-state.js";
import type * as Graph from "@microsoft/microsoft-graph-types";

/**
 * Graph's shapes as far as licensectl reads them, taken from Microsoft's own
 * type definitions (`@microsoft/microsoft-graph-types`, Graph v1.0) so that a
 * property read here is one Graph has. Anything may be missing or null,
 * except the ids licensectl asks for.
 */
export type RawAssignedLicense = Readonly<Pick<Graph.AssignedLicense, "skuId">> & {
  /** A collection by Graph's definition; a null is read as none all the same. */
  readonly disabledPlans?: Graph.AssignedLicense["disabledPlans"] | null;
};
export type RawLicenseAssignmentState = Readonly<
  Pick<Graph.LicenseAssignmentState, "skuId" | "disabledPlans" | "assignedByGroup" | "state" | "error">
>;
export type RawUser = Readonly<
  Pick<
    Graph.User,
    | "userPrincipalName"
    | "displayName"
    | "usageLocation"
    | "accountEnabled"
    | "department"
    | "licenseAssignmentStates"
  >
> & { readonly id: string; readonly assignedLicenses?: readonly RawAssignedLicense[] | null };
export type RawGroup = Readonly<
  Pick<Graph.Group, "displayName" | "mailNickname" | "securityEnabled" | "licenseProcessingState">
> & { readonly id: string; readonly assignedLicenses?: readonly RawAssignedLicense[] | null };
export type RawSku = Readonly<
  Pick<
    Graph.SubscribedSku,
    "skuPartNumber" | "appliesTo" | "capabilityStatus" | "consumedUnits" | "prepaidUnits" | "servicePlans"
  >
> & { readonly skuId: string };
export type RawOrganization = Readonly<Pick<Graph.Organization, "displayName" | "countryLetterCode">> & {
  readonly id: string;
};

// GUIDs from Graph are usually lower-case already; skip the allocation then.
const lower = (text: string): string => (/[A-Z]/.test(text) ? text.toLowerCase() : text);

const EMPTY: readonly never[] = Object.freeze([]);

function guids(list: readonly string[] | null | undefined): readonly string[] {
  if (list === null || list === undefined || list.length === 0) return EMPTY;
  return list.map(lower);
}

function assigned(list: readonly RawAssignedLicense[] | null | undefined): readonly AssignedLicense[] {
  if (list === null || list === undefined || list.length === 0) return EMPTY;
  const out: AssignedLicense[] = [];
  for (const license of list) {
    if (typeof license.skuId !== "string") continue;
    out.push({ skuId: lower(license.skuId), disabledPlans: guids(license.disabledPlans) });
  }
  return out;
}

function states(
  list: readonly RawLicenseAssignmentState[] | null | undefined,
): readonly LicenseAssignmentState[] {
  if (list === null || list === undefined || list.length === 0) return EMPTY;
  const out: LicenseAssignmentState[] = [];
  for (const state of list) {
    if (typeof state.skuId !== "string") continue;
    const error = state.error ?? null;
    out.push({
      skuId: lower(state.skuId),
      disabledPlans: guids(state.disabledPlans),
      assignedByGroup:
        typeof state.assignedByGroup === "string" && state.assignedByGroup !== ""
          ? lower(state.assignedByGroup)
          : null,
      state: state.state ?? "Active",
      error: error === "None" || error === "" ? null : error,
    });
  }
  return out;
}

export function normalizeUser(raw: RawUser): LiveUser {
  return new UserNormalizer().normalize(raw);
}

/** Where normalizeInto puts each user's values: one list per property, users in the same order. */
export interface UserColumns {
  readonly ids: string[];
  readonly upns: string[];
  readonly names: (string | null)[];
  readonly locations: (string | null)[];
  readonly enabled: (boolean | null)[];
  readonly departments: (string | null | undefined)[];
  readonly assigned: (readonly AssignedLicense[])[];
  readonly states: (readonly LicenseAssignmentState[])[];
}

/** Steps of the tries one normaliser keeps for sharing license lists; past this, lists are built per user. */
const MAX_TRIE_NODES = 100_000;
/** Short strings (usage locations, departments) one normaliser shares. */
const MAX_SHARED_STRINGS = 10_000;

/**
 * Shared values by the sequence of raw values they are made from: each
 * value is one step down (Map keys compare strings by content and keep
 * null, undefined and "null" apart), so no key text is built per user.
 */
class SharingTrie<V> {
  private nodes = 0;
  readonly root: TrieNode<V> = { next: new Map() };

  constructor(private readonly maxNodes: number) {}

  /** The node one `value` down from `from`; undefined (nothing shared) once the trie is full. */
  step(from: TrieNode<V>, value: unknown): TrieNode<V> | undefined {
    let child = from.next.get(value);
    if (child === undefined) {
      if (this.nodes >= this.maxNodes) return undefined;
      this.nodes += 1;
      child = { next: new Map() };
      from.next.set(value, child);
    }
    return child;
  }
}

interface TrieNode<V> {
  readonly next: Map<unknown, TrieNode<V>>;
  value?: V;
}

/** Marks a value that should have been a list (null, or not Graph's shape), apart from any list length. */
const NOT_A_LIST = Symbol("not a list");

/** Follows a list of plan ids: its length first, so that lists of different lengths never meet. */
function stepList<V>(
  trie: SharingTrie<V>,
  node: TrieNode<V>,
  list: readonly unknown[] | null | undefined,
): TrieNode<V> | undefined {
  if (!Array.isArray(list)) {
    const marked = trie.step(node, NOT_A_LIST);
    return marked && trie.step(marked, list);
  }
  let at = trie.step(node, list.length);
  for (let i = 0; i < list.length && at !== undefined; i += 1) at = trie.step(at, list[i]);
  return at;
}

/**
 * Normalises the users of one read. Users of a large tenant hold few
 * distinct license lists (the same SKUs through the same groups), so each
 * distinct list is built once, frozen and shared by every user holding it,
 * as are usage locations and departments: a million users then cost their
 * ids and names, not a million copies of the same GUIDs.
 */
export class UserNormalizer {
  private readonly assignedLists = new SharingTrie<readonly AssignedLicense[]>(MAX_TRIE_NODES);
  private readonly stateLists = new SharingTrie<readonly LicenseAssignmentState[]>(MAX_TRIE_NODES);
  private readonly strings = new Map<string, string>();

  normalize(raw: RawUser): LiveUser {
    const department = this.department(raw);
    return {
      id: lower(raw.id),
      userPrincipalName: raw.userPrincipalName ?? "",
      displayName: raw.displayName ?? null,
      usageLocation: this.usageLocation(raw),
      accountEnabled: raw.accountEnabled ?? null,
      ...(department !== undefined ? { department } : {}),
      assignedLicenses: this.assigned(raw.assignedLicenses),
      licenseAssignmentStates: this.states(raw.licenseAssignmentStates),
    };
  }

  /**
   * normalize()'s values one by one, without building the user: a worker
   * thread copies them into columns, and a million objects made only to be
   * taken apart again cost it a tenth of its time.
   */
  normalizeInto(raw: RawUser, sink: UserColumns): void {
    sink.ids.push(lower(raw.id));
    sink.upns.push(raw.userPrincipalName ?? "");
    sink.names.push(raw.displayName ?? null);
    sink.locations.push(this.usageLocation(raw));
    sink.enabled.push(raw.accountEnabled ?? null);
    sink.departments.push(this.department(raw));
    sink.assigned.push(this.assigned(raw.assignedLicenses));
    sink.states.push(this.states(raw.licenseAssignmentStates));
  }

  private usageLocation(raw: RawUser): string | null {
    return raw.usageLocation === "" ? null : this.shared(raw.usageLocation ?? null);
  }

  /** undefined: Graph did not send the property (it was not selected). */
  private department(raw: RawUser): string | null | undefined {
    if (raw.department === undefined) return undefined;
    return raw.department === "" ? null : this.shared(raw.department);
  }

  private shared(text: string | null): string | null {
    if (text === null) return null;
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    if (this.strings.size < MAX_SHARED_STRINGS) this.strings.set(text, text);
    return text;
  }

  private assigned(list: readonly RawAssignedLicense[] | null | undefined): readonly AssignedLicense[] {
    if (list === null || list === undefined || list.length === 0) return EMPTY;
    const trie = this.assignedLists;
    let node: TrieNode<readonly AssignedLicense[]> | undefined = trie.root;
    for (let i = 0; i < list.length && node !== undefined; i += 1) {
      const license = list[i]!;
      node = trie.step(node, license.skuId);
      node = node && stepList(trie, node, license.disabledPlans);
    }
    if (node?.value !== undefined) return node.value;
    const built = Object.freeze(assigned(list).map((license) => Object.freeze(license)));
    if (node !== undefined) node.value = built;
    return built;
  }

  private states(
    list: readonly RawLicenseAssignmentState[] | null | undefined,
  ): readonly LicenseAssignmentState[] {
    if (list === null || list === undefined || list.length === 0) return EMPTY;
    const trie = this.stateLists;
    let node: TrieNode<readonly LicenseAssignmentState[]> | undefined = trie.root;
    for (let i = 0; i < list.length && node !== undefined; i += 1) {
      const state = list[i]!;
      node = trie.step(node, state.skuId);
      node = node && trie.step(node, state.assignedByGroup);
      node = node && trie.step(node, state.state);
      node = node && trie.step(node, state.error);
      node = node && stepList(trie, node, state.disabledPlans);
    }
    if (node?.value !== undefined) return node.value;
    const built = Object.freeze(states(list).map((state) => Object.freeze(state)));
    if (node !== undefined) node.value = built;
    return built;
  }
}

export function normalizeGroup(raw: RawGroup, memberIds?: readonly string[]): LiveGroup {
  return {
    id: lower(raw.id),
    displayName: raw.displayName ?? "",
    mailNickname: raw.mailNickname ?? null,
    securityEnabled: raw.securityEnabled ?? null,
    assignedLicenses: assigned(raw.assignedLicenses),
    licenseProcessingState: raw.licenseProcessingState?.state ?? null,
    ...(memberIds !== undefined ? { memberIds } : {}),
  };
}

export function normalizeSku(raw: RawSku): LiveSku {
  const units = raw.prepaidUnits ?? {};
  return {
    skuId: lower(raw.skuId),
    skuPartNumber: raw.skuPartNumber ?? "",
    appliesTo: raw.appliesTo ?? "User",
    capabilityStatus: raw.capabilityStatus ?? "Enabled",
    consumedUnits: raw.consumedUnits ?? 0,
    prepaidUnits: {
      enabled: units.enabled ?? 0,
      suspended: units.suspended ?? 0,
      warning: units.warning ?? 0,
      lockedOut: units.lockedOut ?? 0,
    },
    // A plan without an id names nothing a license could turn off.
    servicePlans: (raw.servicePlans ?? [])
      .flatMap((plan) =>
        typeof plan.servicePlanId === "string" ? [{ ...plan, servicePlanId: plan.servicePlanId }] : [],
      )
      .map((plan) => ({
        servicePlanId: lower(plan.servicePlanId),
        servicePlanName: plan.servicePlanName ?? "",
        provisioningStatus: plan.provisioningStatus ?? "Success",
        appliesTo: plan.appliesTo ?? "User",
      })),
  };
}

export function normalizeTenant(raw: RawOrganization): LiveTenant {
  return {
    id: lower(raw.id),
    displayName: raw.displayName ?? "",
    countryLetterCode: raw.countryLetterCode ?? null,
  };
}
