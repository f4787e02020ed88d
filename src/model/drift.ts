import type { ScopeMode } from "./desired-state.js";
import type { DriftEconomics } from "./economics.js";
import type { ChangeReason, ImpactLevel, PlanSummary, ServicePlanRef, SkuRef, WaveKind } from "./plan.js";
import type { Problem, SourceLocation } from "./problem.js";

/**
 * The drift model: where the tenant differs from the manifests, split by
 * category. Plain, JSON-serialisable data, versioned like the plan file and
 * documented by `schemas/drift.schema.json`. Renderers derive all text from it.
 */

export const DRIFT_FORMAT_VERSION = 1;

/** A user or group. `id` is absent for a manifest entry that names no live principal. */
export interface DriftPrincipal {
  readonly kind: "user" | "group";
  readonly id?: string;
  /** userPrincipalName for users, displayName for groups (as written in the manifest when not found). */
  readonly name: string;
  /** The manifest entry that declares this principal, if any. */
  readonly location?: SourceLocation;
}

/** A group a license comes from. */
export interface DriftGroupRef {
  readonly id: string;
  /** displayName; the id when the group was not read. */
  readonly name: string;
}

/** One change the plan would make, summarised for the drift report. */
export interface PendingChange {
  readonly changeId: string;
  readonly kind: "setUsageLocation" | "assignLicenses";
  readonly wave: WaveKind;
  readonly principal: DriftPrincipal;
  readonly impact: ImpactLevel;
  readonly add: readonly SkuRef[];
  readonly update: readonly SkuRef[];
  readonly remove: readonly SkuRef[];
  /** For setUsageLocation. */
  readonly usageLocation?: { readonly from: string | null; readonly to: string };
  /** For group changes: members who would lose / gain a SKU through the group. */
  readonly membersLosingLicenses?: number;
  readonly membersGainingLicenses?: number;
  readonly reasons: readonly ChangeReason[];
}

/** A direct assignment of a SKU the manifests do not own (not in scope.skus); never touched by apply. */
export interface UnmanagedAssignment {
  readonly principal: DriftPrincipal;
  readonly sku: SkuRef;
  readonly disabledPlans: readonly ServicePlanRef[];
}

/** A SKU a user holds directly and also inherits from one or more groups: the direct one is redundant. */
export interface RedundantAssignment {
  readonly user: DriftPrincipal;
  readonly sku: SkuRef;
  readonly groups: readonly DriftGroupRef[];
  /** Whether the SKU is in scope (the manifests own the direct assignment). */
  readonly inScope: boolean;
  /** Where the manifest declares the direct assignment, if it does. */
  readonly declaredAt?: SourceLocation;
  /** Whether the plan already removes the direct assignment. */
  readonly removedByPlan: boolean;
}

/** A licenseAssignmentStates entry that carries an error. */
export interface LicenseError {
  readonly user: DriftPrincipal;
  readonly sku: SkuRef;
  /** The group the failed assignment comes from; null for a direct assignment. */
  readonly group: DriftGroupRef | null;
  /** CountViolation, MutuallyExclusiveViolation, DependencyViolation, ... */
  readonly error: string;
  /** Active, ActiveWithError, Disabled, Error. */
  readonly state: string;
  /** What fixes it (a free seat, a usage location, the conflicting SKU) and how to have it retried. */
  readonly fix: string;
}

/** How a manifest entry that declares a SKU treats a service plan Microsoft added to it. */
export interface NewPlanHolder {
  readonly principal: DriftPrincipal;
  /** deny-list or no list: the plan is enabled silently; allow-list: it stays disabled. */
  readonly planMode: "all" | "deny" | "allow";
  readonly effect: "enabled" | "kept-disabled";
  readonly location: SourceLocation;
}

/**
 * A service plan the tenant's copy of a SKU has and the bundled catalog's
 * copy lacks: Microsoft added it since the catalog was published.
 */
export interface NewServicePlan {
  readonly sku: SkuRef;
  readonly plan: ServicePlanRef;
  readonly holders: readonly NewPlanHolder[];
}

/** Why a SKU is listed among the capacity issues. */
export type CapacityCondition = "over-capacity" | "near-capacity" | "suspended" | "warning" | "locked-out";

/** Seats of one SKU of the tenant (every SKU, for the utilisation chart). */
export interface SkuSeats extends SkuRef {
  readonly displayName?: string;
  readonly capabilityStatus: string;
  readonly appliesTo: string;
  /** prepaidUnits.enabled */
  readonly enabled: number;
  readonly consumed: number;
  /** Seats consumed after the plan, when the plan knows this SKU. */
  readonly consumedAfterPlan?: number;
  readonly warning: number;
  readonly suspended: number;
  readonly lockedOut: number;
  readonly inScope: boolean;
}

/** A SKU at or over 90 % of its enabled seats, or not in good standing. */
export interface CapacityIssue {
  readonly seats: SkuSeats;
  readonly conditions: readonly CapacityCondition[];
}

/** A user who holds a license (directly or through a group) and has no usage location. */
export interface MissingUsageLocation {
  readonly user: DriftPrincipal;
  readonly skus: readonly SkuRef[];
  /** Whether every license of the user comes from a group (group licensing then uses the tenant's country). */
  readonly inheritedOnly: boolean;
  /** The usage location the plan sets, if it sets one. */
  readonly plannedUsageLocation?: string;
}

/** The number of items per drift category. */
export interface DriftSummary {
  readonly planProblems: number;
  readonly pendingChanges: number;
  readonly unmanagedAssignments: number;
  readonly redundantAssignments: number;
  readonly licenseErrors: number;
  readonly newServicePlans: number;
  readonly capacityIssues: number;
  readonly missingUsageLocations: number;
  /** Sum of the above: zero means no drift. */
  readonly total: number;
}

/** Where the tenant differs from the manifests, by category; versioned and documented by `schemas/drift.schema.json`. */
export interface DriftReport {
  readonly formatVersion: typeof DRIFT_FORMAT_VERSION;
  readonly toolVersion: string;
  /** When the underlying plan was made (plan.createdAt). */
  readonly generatedAt: string;
  readonly tenant: { readonly id: string; readonly displayName: string };
  readonly mode: ScopeMode;
  readonly manifestDigest: string;
  readonly liveDigest: string;
  readonly summary: DriftSummary;
  /** The plan's own summary (risk, counts of adds / removes ...). */
  readonly planSummary: PlanSummary;
  readonly seats: readonly SkuSeats[];
  /**
   * Why no plan could be made (capacity exceeded, a guard, a principal the
   * manifests name that the tenant lacks ...); empty when the plan was made.
   * With problems here, pendingChanges is empty: the changes are not known.
   */
  readonly planProblems: readonly Problem[];
  readonly pendingChanges: readonly PendingChange[];
  readonly unmanagedAssignments: readonly UnmanagedAssignment[];
  readonly redundantAssignments: readonly RedundantAssignment[];
  readonly licenseErrors: readonly LicenseError[];
  readonly newServicePlans: readonly NewServicePlan[];
  readonly capacityIssues: readonly CapacityIssue[];
  readonly missingUsageLocations: readonly MissingUsageLocation[];
  /** What is paid for and not used (with prices); informative, never counted as drift. */
  readonly economics?: DriftEconomics;
}

/** The categories of a drift report, in the order reports show them. */
export const DRIFT_CATEGORIES = [
  "planProblems",
  "pendingChanges",
  "unmanagedAssignments",
  "redundantAssignments",
  "licenseErrors",
  "newServicePlans",
  "capacityIssues",
  "missingUsageLocations",
] as const;
/** One category of a drift report. */
export type DriftCategory = (typeof DRIFT_CATEGORIES)[number];

/** Whether the report found anything (what `--detailed-exitcode` turns into exit 2). */
export function hasDrift(report: DriftReport): boolean {
  return report.summary.total > 0;
}
