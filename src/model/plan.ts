import type { ScopeMode } from "./desired-state.js";
import type { PlanCost } from "./economics.js";
import type { Problem, SourceLocation } from "./problem.js";

/**
 * The change model: a plan is plain, JSON-serialisable data. Renderers derive
 * their text from it; the applier carries it out; `plan --out` saves it.
 */

export interface PrincipalRef {
  readonly kind: "user" | "group";
  readonly id: string;
  /** userPrincipalName for users, displayName for groups. */
  readonly name: string;
  /** The manifest entry that declares this principal, if any. */
  readonly location?: SourceLocation;
}

/** A SKU by id and part number (e.g. `ENTERPRISEPACK`). */
export interface SkuRef {
  readonly skuId: string;
  readonly skuPartNumber: string;
}

/** A service plan by id and name (e.g. `EXCHANGE_S_ENTERPRISE`). */
export interface ServicePlanRef {
  readonly id: string;
  readonly name: string;
}

/** A SKU to add, with the service plans to disable in it. */
export interface SkuAssignment extends SkuRef {
  readonly disabledPlans: readonly ServicePlanRef[];
}

/** An assigned SKU whose disabled plans change (sent as an `addLicenses` entry, which replaces them). */
export interface SkuUpdate extends SkuRef {
  readonly fromDisabledPlans: readonly ServicePlanRef[];
  readonly toDisabledPlans: readonly ServicePlanRef[];
}

/** Ordered impact scale; the plan's risk is the worst of its changes'. */
export const IMPACT_LEVELS = ["none", "low", "medium", "high"] as const;
/** How much a change can hurt, on an ordered scale; a plan's risk is the worst of its changes'. */
export type ImpactLevel = (typeof IMPACT_LEVELS)[number];

/** The highest of `levels`, or `none` for no levels: a plan's risk. */
export function worstImpact(levels: Iterable<ImpactLevel>): ImpactLevel {
  let worst = 0;
  for (const level of levels) worst = Math.max(worst, IMPACT_LEVELS.indexOf(level));
  return IMPACT_LEVELS[worst] ?? "none";
}

/** Why a change is in the plan; `message` is derived from the data at plan time. */
export interface ChangeReason {
  readonly code:
    | "declared" // the manifest declares it
    | "not-declared" // authoritative scope: in-scope SKU assigned directly but not declared
    | "plans-differ" // disabled plans differ from the manifest
    | "allow-list-new-plan" // a plan the SKU gained is not on the allow-list
    | "usage-location-declared"
    | "usage-location-default" // needed for a license; tenant.defaultUsageLocation used
    | "covered-by-group" // a group this plan licenses now provides the SKU
    | "replaced-by-group" // the user gains another license through a group, so the removal waits for it
    | "swap"; // removal and addition in one atomic call
  readonly message: string;
  readonly location?: SourceLocation;
}

/** A change that sets a user's usage location, which Microsoft requires before a license is assigned. */
export interface SetUsageLocationChange {
  readonly kind: "setUsageLocation";
  readonly id: string;
  readonly user: PrincipalRef;
  readonly from: string | null;
  readonly to: string;
  readonly impact: ImpactLevel;
  readonly reasons: readonly ChangeReason[];
}

/** A principal's direct license assignments, keyed by SKU part number (the skuId when the tenant has no name for it). */
export interface LicenseState {
  readonly licenses: Readonly<
    Record<string, { readonly skuId: string; readonly disabledPlans: readonly string[] }>
  >;
}

/** An RFC 6902 JSON Patch operation. */
export interface JsonPatchOperation {
  readonly op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

/** One `assignLicense` call: Graph applies adds, updates and removes atomically. */
export interface AssignLicensesChange {
  readonly kind: "assignLicenses";
  readonly id: string;
  readonly target: PrincipalRef;
  readonly add: readonly SkuAssignment[];
  readonly update: readonly SkuUpdate[];
  readonly remove: readonly SkuRef[];
  /** For groups: members who would lose a removed SKU (they hold it by no other path). */
  readonly membersLosingLicenses?: number;
  /** For groups: members who would gain an added SKU they do not hold yet. */
  readonly membersGainingLicenses?: number;
  /**
   * For removals that rely on a group: before the licenses go, apply reads
   * the license states of the user (or of the listed members, for a group's
   * removal) and requires each SKU listed here Active from one of its groups;
   * otherwise the licenses stay.
   */
  readonly requiresActiveFrom?: readonly GroupCopyRequirement[];
  /** The principal's direct licenses before the change (set on plans made by `plan` from a live tenant). */
  readonly before?: LicenseState;
  /** ... and after it. */
  readonly after?: LicenseState;
  /** RFC 6902 operations that turn `before` into `after`. */
  readonly patch?: readonly JsonPatchOperation[];
  readonly impact: ImpactLevel;
  readonly reasons: readonly ChangeReason[];
}

/** A SKU the user must hold Active through one of `groupIds` before a removal that relies on it. */
export interface GroupCopyRequirement {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly groupIds: readonly string[];
  /** For a group's removal: the members who keep the SKU through `groupIds` (a user's own removal needs none). */
  readonly userIds?: readonly string[];
}

/** One change of a plan, discriminated on `kind`. */
export type Change = SetUsageLocationChange | AssignLicensesChange;

/** Waves run in this order; changes inside one wave are independent of each other. */
export type WaveKind =
  | "usage-locations"
  | "add-held-users"
  | "remove-users"
  | "remove-groups"
  | "updates"
  | "add-users"
  | "add-groups"
  | "group-handover";

/** Changes that run together, in order; `reason` says why the wave comes where it does. */
export interface Wave {
  readonly kind: WaveKind;
  /** Why this wave comes where it does. */
  readonly reason: string;
  /** Group ids whose license processing must be complete before this wave starts. */
  readonly waitForGroups?: readonly string[];
  readonly changes: readonly Change[];
}

/**
 * A license assignment that is not in effect for a user (state Error or
 * Disabled, or an error code), as read when planning: it gives the user
 * nothing until it is fixed and reprocessed.
 */
export interface PlanLicenseError {
  readonly user: PrincipalRef;
  readonly sku: SkuRef;
  /** The group the assignment comes from; absent for a direct one. */
  readonly group?: { readonly id: string; readonly name: string };
  /** CountViolation, MutuallyExclusiveViolation, DependencyViolation, ProhibitedInUsageLocationViolation, UniquenessViolation, Other. */
  readonly error: string;
  /** Active, ActiveWithError, Disabled, Error. */
  readonly state: string;
  /** What fixes it and how to have it retried. */
  readonly fix: string;
}

/** Seats of one SKU before and after the plan. */
export interface SeatSummary extends SkuRef {
  readonly displayName?: string;
  readonly capabilityStatus: string;
  /** prepaidUnits.enabled */
  readonly enabled: number;
  readonly consumedBefore: number;
  readonly consumedAfter: number;
  readonly inScope: boolean;
}

/** Counts over a plan's changes, and its risk. */
export interface PlanSummary {
  readonly changes: number;
  readonly usersChanged: number;
  readonly groupsChanged: number;
  readonly adds: number;
  readonly updates: number;
  readonly removes: number;
  readonly usageLocations: number;
  /** Users who lose a license: direct removals plus members losing it through a group. */
  readonly removals: number;
  readonly risk: ImpactLevel;
}

/**
 * Version of the plan file and `plan --format json` contract. 2: the plan
 * records its manifest set (`manifests`).
 */
export const PLAN_FORMAT_VERSION = 2;

/** One manifest file a plan was made from. */
export interface ManifestFileRecord {
  /** Relative to the set's base, with `/` separators. */
  readonly path: string;
  /** `sha256:` and the hex digest of the file's bytes. */
  readonly digest: string;
}

/**
 * The manifest files a plan was made from, so `apply plan.json` finds and
 * checks them by itself. Paths are relative to the git repository root when
 * the files lie in one ("repository"), else to the directory `plan` ran in
 * ("directory").
 */
export interface ManifestSet {
  readonly base: "repository" | "directory";
  readonly files: readonly ManifestFileRecord[];
}

/** The ordered change set from the live tenant to the manifests: versioned, bound to its inputs by digests, and the file `licensectl apply` carries out (see `docs/plan-file.md`). */
export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly toolVersion: string;
  readonly createdAt: string;
  readonly tenant: { readonly id: string; readonly displayName: string };
  readonly mode: ScopeMode;
  /** Digest of the manifests the plan was made from. */
  readonly manifestDigest: string;
  /** The manifest files, each with its digest; written by `plan --out` (absent in plans built in memory). */
  readonly manifests?: ManifestSet;
  /** Digest of the live state the plan was made from; apply refuses a plan whose tenant moved since. */
  readonly liveDigest: string;
  readonly maxRemovals?: number;
  readonly summary: PlanSummary;
  readonly seats: readonly SeatSummary[];
  /** The plan's effect on the cost of assigned seats; only when the manifests carry prices. */
  readonly cost?: PlanCost;
  readonly warnings: readonly Problem[];
  /** License assignments not in effect, when there are any (see PlanLicenseError). */
  readonly licenseErrors?: readonly PlanLicenseError[];
  readonly waves: readonly Wave[];
}

/** What the planner returns: a plan, or the problems that prevent one (never both errors and a plan). */
export interface PlanResult {
  readonly plan?: Plan;
  readonly problems: readonly Problem[];
}
