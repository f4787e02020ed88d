/**
 * The emulator's tenant state: plain JSON-serialisable records, the same
 * shape that `--state FILE` persists. GUIDs are lower-case. Records are
 * mutable because the tenant store changes them in place; nothing outside
 * the store writes to them.
 */

export interface TenantInfo {
  id: string;
  displayName: string;
  countryLetterCode: string;
  domains: string[];
  /** Microsoft Entra ID P1 or P2; false refuses signInActivity. Absent (older state files) = true. */
  premium?: boolean;
  /** Application permissions granted to the app; absent = every permission (see permissions.ts). */
  permissions?: string[];
}

export interface PlanRecord {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus: string;
  appliesTo: "User" | "Company";
}

export interface SkuRecord {
  skuId: string;
  skuPartNumber: string;
  appliesTo: "User" | "Company";
  capabilityStatus: string;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: PlanRecord[];
  subscriptionIds: string[];
  /** Users holding the SKU through any active path, each counted once; kept up to date by the store. */
  consumedUnits: number;
}

/** One entry of a user's licenseAssignmentStates: one per (skuId, assignedByGroup). */
export interface LicenseStateRecord {
  skuId: string;
  /** null for a direct assignment. */
  assignedByGroup: string | null;
  disabledPlans: string[];
  /** Active, ActiveWithError, Disabled, Error. */
  state: string;
  /** None, CountViolation, MutuallyExclusiveViolation, DependencyViolation, ... */
  error: string;
  lastUpdatedDateTime: string;
}

export interface UserRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  usageLocation: string | null;
  accountEnabled: boolean;
  department: string | null;
  /** Graph's signInActivity; null when the user never signed in (or last did before April 2020). */
  signInActivity?: {
    lastSignInDateTime: string | null;
    lastNonInteractiveSignInDateTime: string | null;
    lastSuccessfulSignInDateTime: string | null;
  } | null;
  createdDateTime: string;
  states: LicenseStateRecord[];
  /** Groups the user is a direct member of. */
  groupIds: string[];
}

export interface GroupLicenseRecord {
  skuId: string;
  disabledPlans: string[];
}

export interface GroupRecord {
  id: string;
  displayName: string;
  mailNickname: string;
  securityEnabled: boolean;
  mailEnabled: boolean;
  createdDateTime: string;
  /** Direct user members; group-based licensing licenses only these. */
  memberIds: string[];
  /** Groups that are direct members of this group (absent in states saved before nesting existed). */
  memberGroupIds?: string[];
  licenses: GroupLicenseRecord[];
  /** null until the group is first licensed. */
  licenseProcessingState: string | null;
}

export interface RulesRecord {
  /** A plan (id) that works only when at least one of `requires` (ids) is enabled too. */
  dependencies: { plan: string; requires: string[] }[];
  /** Sets of plan ids of which a user may hold at most one. */
  mutuallyExclusive: string[][];
}

/** The whole tenant. */
/** A subscription behind a SKU, as `GET /directory/subscriptions` lists it (companySubscription). */
export interface SubscriptionRecord {
  id: string;
  commerceSubscriptionId: string;
  skuId: string;
  skuPartNumber: string;
  /** Enabled, Warning, Suspended, Deleted, LockedOut. */
  status: string;
  isTrial: boolean;
  totalLicenses: number;
  createdDateTime: string;
  /** Next renewal, expiry or status change; null when unknown. */
  nextLifecycleDateTime: string | null;
}

export interface TenantData {
  tenant: TenantInfo;
  skus: SkuRecord[];
  /** Absent in state files written before subscriptions were served: then none are listed. */
  subscriptions?: SubscriptionRecord[];
  users: UserRecord[];
  groups: GroupRecord[];
  rules: RulesRecord;
}

/** The format marker of a persisted state file. */
export const STATE_FORMAT = "licensectl.emulator.state/v1";

/** When fixture objects were "created"; fixed so that a fixture always yields the same state. */
export const FIXTURE_EPOCH = "2024-01-01T00:00:00Z";
