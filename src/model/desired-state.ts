import type { DesiredPolicies, DesiredPrice, ResolvedPolicies, ResolvedPrice } from "./economics.js";
import type { SourceLocation } from "./problem.js";

/** How much of the tenant the manifests own for the SKUs in scope. */
export type ScopeMode = "authoritative" | "additive";

/**
 * One license as the manifest states it, names still as written.
 * At most one of `disabledPlans` / `enabledPlans` is set (the loader enforces it).
 */
export interface DesiredLicense {
  /** skuPartNumber, product display name or skuId GUID, as written. */
  readonly sku: string;
  readonly disabledPlans?: readonly string[];
  readonly enabledPlans?: readonly string[];
  /** Where the `sku:` entry was written (inside the profile when it came from one). */
  readonly location: SourceLocation;
  /**
   * Where each service plan name was written, in the order of its list, so an
   * error about a plan points at the plan and not at its SKU.
   */
  readonly planLocations?: {
    readonly disabledPlans?: readonly SourceLocation[];
    readonly enabledPlans?: readonly SourceLocation[];
  };
  /** The profile this license came from, if any, and where the user/group referenced it. */
  readonly viaProfile?: { readonly name: string; readonly location: SourceLocation };
}

/** A user or group entry of the manifests, with profiles expanded. */
export interface DesiredPrincipal {
  readonly kind: "user" | "group";
  /** userPrincipalName or object id (users); displayName, mailNickname or object id (groups). */
  readonly ref: string;
  /** Managed usage location (users only); undefined = not managed. */
  readonly usageLocation?: string;
  readonly licenses: readonly DesiredLicense[];
  readonly location: SourceLocation;
}

/** A name as written in the manifests, with where it was written. */
export interface LocatedName {
  readonly name: string;
  readonly location: SourceLocation;
}

/** The merged content of all manifest files: what the repository says the tenant should be. */
export interface DesiredState {
  readonly tenant: {
    readonly id?: string;
    readonly defaultUsageLocation?: string;
  };
  readonly scope: {
    readonly skus: readonly LocatedName[];
    readonly mode: ScopeMode;
  };
  readonly protect: {
    readonly users: readonly LocatedName[];
    readonly groups: readonly LocatedName[];
  };
  readonly limits: {
    readonly maxRemovals?: number;
  };
  readonly users: readonly DesiredPrincipal[];
  readonly groups: readonly DesiredPrincipal[];
  /** `prices:` of every file (and of a `--prices` file); absent or empty: no money in reports. */
  readonly prices?: readonly DesiredPrice[];
  /** `policies:`, when a file states it. */
  readonly policies?: DesiredPolicies;
  /** The manifest files read, relative to the working directory, sorted. */
  readonly files: readonly string[];
  /** sha256 of the manifest files' bytes (path + content, in sorted order), hex. */
  readonly digest: string;
}

/** A license with SKU and service plans resolved to GUIDs against a catalog. */
export interface ResolvedLicense {
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** The service plans that must be disabled, lower-case GUIDs, sorted. */
  readonly disabledPlans: readonly string[];
  /**
   * How the plan set was stated. For `allow`, `enabledPlans` is the allow-list;
   * every other plan of the SKU (including ones Microsoft added later) is disabled.
   */
  readonly planMode: "all" | "deny" | "allow";
  readonly enabledPlans?: readonly string[];
  readonly location: SourceLocation;
  readonly viaProfile?: string;
}

/** A manifest's user or group entry with its licenses resolved to ids, and where it was written. */
export interface ResolvedPrincipal {
  readonly kind: "user" | "group";
  readonly ref: string;
  readonly usageLocation?: string;
  readonly licenses: readonly ResolvedLicense[];
  readonly location: SourceLocation;
}

/** DesiredState with every SKU and plan name resolved; what the planner consumes. */
export interface ResolvedDesiredState {
  readonly tenant: DesiredState["tenant"];
  readonly scope: {
    /** In-scope skuIds, lower-case. */
    readonly skuIds: readonly string[];
    readonly mode: ScopeMode;
  };
  readonly protect: DesiredState["protect"];
  readonly limits: DesiredState["limits"];
  readonly users: readonly ResolvedPrincipal[];
  readonly groups: readonly ResolvedPrincipal[];
  /** Prices of the SKUs the catalog knows; absent or empty: no money in reports. */
  readonly prices?: readonly ResolvedPrice[];
  /** Resolved `policies:`, when stated. */
  readonly policies?: ResolvedPolicies;
  readonly digest: string;
}
