/**
 * The tenant as read from Microsoft Graph. Field names and shapes follow
 * Graph v1.0 so the reader stays thin; GUIDs are lower-cased by the reader.
 */

/** A service plan of a subscribed SKU (Graph `servicePlanInfo`). */
export interface LiveServicePlan {
  readonly servicePlanId: string;
  readonly servicePlanName: string;
  readonly provisioningStatus: string;
  readonly appliesTo: string;
}

/** A SKU the tenant subscribes to (Graph `subscribedSku`): seats, status and service plans. */
export interface LiveSku {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly appliesTo: "User" | "Company" | string;
  /** Enabled, Warning, Suspended, Deleted, LockedOut. */
  readonly capabilityStatus: string;
  readonly consumedUnits: number;
  readonly prepaidUnits: {
    readonly enabled: number;
    readonly suspended: number;
    readonly warning: number;
    readonly lockedOut: number;
  };
  readonly servicePlans: readonly LiveServicePlan[];
}

/** A license assigned to a user or group (Graph `assignedLicense`): the SKU and the service plans turned off. */
export interface AssignedLicense {
  readonly skuId: string;
  readonly disabledPlans: readonly string[];
}

/** How one of a user's licenses is held (Graph `licenseAssignmentState`): directly or through a group, and whether it is in effect. */
export interface LicenseAssignmentState {
  readonly skuId: string;
  readonly disabledPlans: readonly string[];
  /** null for a direct assignment, else the id of the group it comes from. */
  readonly assignedByGroup: string | null;
  /** Active, ActiveWithError, Disabled, Error. */
  readonly state: string;
  /** CountViolation, MutuallyExclusiveViolation, ... ; null or "None" when fine. */
  readonly error: string | null;
}

/** A user as read from Graph, with the licenses assigned directly and every license held. */
export interface LiveUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string | null;
  readonly usageLocation: string | null;
  readonly accountEnabled: boolean | null;
  /** The user's department (read for seat pools by department); undefined when not read. */
  readonly department?: string | null;
  readonly assignedLicenses: readonly AssignedLicense[];
  readonly licenseAssignmentStates: readonly LicenseAssignmentState[];
}

/** A group as read from Graph, with the licenses it assigns to its members. */
export interface LiveGroup {
  readonly id: string;
  readonly displayName: string;
  readonly mailNickname: string | null;
  readonly securityEnabled: boolean | null;
  readonly assignedLicenses: readonly AssignedLicense[];
  /** QueuedForProcessing, ProcessingInProgress, ProcessingComplete; null if never licensed. */
  readonly licenseProcessingState: string | null;
  /**
   * Ids of the group's direct user members. Read for groups that hold a
   * license or that the manifests name; undefined when not read.
   */
  readonly memberIds?: readonly string[];
}

/** The signed-in tenant (Graph `organization`). */
export interface LiveTenant {
  readonly id: string;
  readonly displayName: string;
  /** Location that group-based licensing gives members without a usageLocation. */
  readonly countryLetterCode: string | null;
}

/** Everything licensectl reads from a tenant: the input of the planner and of drift. */
export interface LiveState {
  readonly tenant: LiveTenant;
  readonly skus: readonly LiveSku[];
  readonly users: readonly LiveUser[];
  readonly groups: readonly LiveGroup[];
}
