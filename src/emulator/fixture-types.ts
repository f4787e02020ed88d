/**
 * The tenant fixture (YAML) the emulator serves: see the "Emulator tenant
 * fixture format" contract. SKUs and plans are written by name or GUID and
 * resolved against the bundled catalog when the emulator starts.
 */
export interface TenantFixture {
  readonly apiVersion: "licensectl.emulator/v1";
  readonly kind: "Tenant";
  readonly tenant: FixtureTenant;
  readonly skus: readonly FixtureSku[];
  readonly users: readonly FixtureUser[];
  readonly groups?: readonly FixtureGroup[];
  /** Replaces the bundled service-plan rules (data/service-plan-rules.json); `{}` turns them off. */
  readonly rules?: FixtureRules;
}

/** The tenant of a fixture: id, name, country, domains. */
export interface FixtureTenant {
  readonly id: string;
  readonly displayName: string;
  /** The tenant's country; group-based licensing uses it for members without a usageLocation. */
  readonly countryLetterCode: string;
  /** Verified domains; the first is the initial (onmicrosoft.com) domain. */
  readonly domains: readonly string[];
  /** Whether the tenant has Microsoft Entra ID P1 or P2; without it, users' signInActivity is refused (403). Default true. */
  readonly premium?: boolean;
  /**
   * Microsoft Graph application permissions granted to the app (e.g.
   * Organization.Read.All, AuditLog.Read.All); a route that needs one the list
   * lacks answers Graph's 403. Absent = every permission granted.
   */
  readonly permissions?: readonly string[];
}

/** A user's sign-in activity (Graph's signInActivity), ISO 8601 dates; absent = never signed in or before April 2020. */
export interface FixtureSignInActivity {
  readonly lastSignInDateTime?: string;
  readonly lastNonInteractiveSignInDateTime?: string;
  readonly lastSuccessfulSignInDateTime?: string;
}

/** A SKU of a fixture: its seats, status, and service plans beyond the catalog. */
export interface FixtureSku {
  /** Part number, display name or skuId. */
  readonly sku: string;
  /** prepaidUnits.enabled */
  readonly seats: number;
  /** capabilityStatus; default Enabled. */
  readonly status?: "Enabled" | "Warning" | "Suspended" | "Deleted" | "LockedOut";
  readonly warning?: number;
  readonly suspended?: number;
  readonly lockedOut?: number;
  /** User (default) or Company; Company SKUs cannot be assigned to users. Known Company SKUs default to Company. */
  readonly appliesTo?: "User" | "Company";
  /** Plans this tenant's SKU has beyond the catalog. */
  readonly addPlans?: readonly { readonly name: string; readonly id: string }[];
  /** The subscriptions behind the SKU; default one Enabled subscription for all its seats, with no lifecycle date. */
  readonly subscriptions?: readonly FixtureSubscription[];
}

/** One subscription (companySubscription) behind a SKU. */
export interface FixtureSubscription {
  readonly id?: string;
  /** totalLicenses */
  readonly seats: number;
  readonly status?: "Enabled" | "Warning" | "Suspended" | "Deleted" | "LockedOut";
  /** isTrial */
  readonly trial?: boolean;
  /** ISO 8601; default the fixture epoch. */
  readonly createdDateTime?: string;
  /** When the subscription renews, expires or changes status next (ISO 8601); default unknown (null). */
  readonly nextLifecycleDateTime?: string;
}

/** A license in a fixture: one of its SKUs, and the plans turned off. */
export interface FixtureLicense {
  readonly sku: string;
  /** Plan names or GUIDs. */
  readonly disabledPlans?: readonly string[];
}

/** A user of a fixture and the licenses assigned to it. */
export interface FixtureUser {
  readonly upn: string;
  readonly id?: string;
  readonly displayName?: string;
  readonly usageLocation?: string | null;
  readonly accountEnabled?: boolean;
  /** The user's department (what seat pools by department count). */
  readonly department?: string;
  readonly signInActivity?: FixtureSignInActivity;
  readonly licenses?: readonly FixtureLicense[];
}

/** A group of a fixture: its members and the licenses it assigns. */
export interface FixtureGroup {
  readonly name: string;
  readonly id?: string;
  readonly mailNickname?: string;
  readonly securityEnabled?: boolean;
  /** Members: users by UPN or id, and groups by name or id (a nested group; not licensed through this one). */
  readonly members?: readonly string[];
  readonly licenses?: readonly FixtureLicense[];
}

/** Licensing rules the emulator enforces beyond the bundled ones (dependencies, exclusions). */
export interface FixtureRules {
  /** `plan` works only with at least one of `requires` enabled. */
  readonly dependencies?: readonly { readonly plan: string; readonly requires: readonly string[] }[];
  readonly mutuallyExclusive?: readonly (readonly string[])[];
}
