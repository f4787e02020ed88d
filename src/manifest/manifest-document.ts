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
