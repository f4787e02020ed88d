/**
 * The shape of one manifest document (`apiVersion: licensectl/v1`) as written
 * in YAML, before merging. schemas/manifest.schema.json describes the same
 * shape; test/manifest/schema-types.test.ts holds the two together.
 */

/** The apiVersion of licensectl manifests. */
export const MANIFEST_API_VERSION = "licensectl/v1";
/** The apiVersion of the emulator's tenant fixtures: such files are skipped, not read as manifests. */
export const EMULATOR_FIXTURE_API_VERSION = "licensectl.emulator/v1";

export interface ManifestDocument {
  readonly apiVersion: typeof MANIFEST_API_VERSION;
  /**
   * Profile libraries this file uses: paths relative to it, each a file
   * holding only `profiles` (and `imports`). The manifests' own profile of
   * the same name replaces a library's; two libraries may not define one name.
   */
  readonly imports?: readonly string[];
  readonly tenant?: ManifestTenant;
  readonly scope?: ManifestScope;
  readonly protect?: ManifestProtect;
  readonly limits?: ManifestLimits;
  /** What one seat of each SKU costs; several files may each price some SKUs. */
  readonly prices?: readonly ManifestPrice[];
  readonly policies?: ManifestPolicies;
  /** Named license sets that users and groups reference with `{ profile: name }`. */
  readonly profiles?: Readonly<Record<string, readonly ManifestSkuLicense[]>>;
  readonly groups?: readonly ManifestGroup[];
  readonly users?: readonly ManifestUser[];
}

export interface ManifestTenant {
  readonly id?: string;
  readonly defaultUsageLocation?: string;
}

export interface ManifestScope {
  readonly skus: readonly string[];
  readonly mode: "authoritative" | "additive";
}

export interface ManifestProtect {
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
}

export interface ManifestLimits {
  readonly maxRemovals?: number;
}

/** The price of one seat of one SKU for one period. */
export interface ManifestPrice {
  readonly sku: string;
  readonly amount: number;
  readonly currency: string;
  readonly period: "month" | "year";
}

/** Rules every plan must keep, and settings of the idle-license and renewal reports. */
export interface ManifestPolicies {
  /** Sets of SKUs no user may hold together. */
  readonly exclusive?: readonly (readonly string[])[];
  readonly minFreeSeats?: readonly ManifestMinFreeSeats[];
  readonly seatPools?: readonly ManifestSeatPool[];
  readonly inactiveDays?: number;
  readonly exempt?: readonly string[];
  readonly renewals?: ManifestRenewals;
}

/** A utilisation ceiling: the free seats a SKU keeps after a plan. */
export interface ManifestMinFreeSeats {
  readonly sku: string;
  readonly seats?: number;
  readonly percent?: number;
}

/** At most `max` users of `department` hold `sku`. */
export interface ManifestSeatPool {
  readonly department: string;
  readonly sku: string;
  readonly max: number;
}

export interface ManifestRenewals {
  readonly warnDays?: number;
  readonly reserve?: number;
}

/** `{ sku, disabledPlans? | enabledPlans? }`. */
export interface ManifestSkuLicense {
  readonly sku: string;
  readonly disabledPlans?: readonly string[];
  readonly enabledPlans?: readonly string[];
}

/** `{ profile: name }`: every license of the named profile. */
export interface ManifestProfileLicense {
  readonly profile: string;
}

export type ManifestLicense = ManifestSkuLicense | ManifestProfileLicense;

export interface ManifestUser {
  readonly user: string;
  readonly usageLocation?: string;
  readonly licenses?: readonly ManifestLicense[];
}

export interface ManifestGroup {
  readonly group: string;
  readonly licenses?: readonly ManifestLicense[];
}
