import { GraphError, unknownProperty } from "./errors.js";
import type { TenantStore } from "./tenant-store.js";
import type { GroupRecord, SkuRecord, TenantInfo, UserRecord } from "./tenant-model.js";

type Json = Record<string, unknown>;

/** Properties Graph returns for a user without $select. */
const USER_DEFAULT = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
] as const;

/** Properties Graph returns for a group without $select (licensing ones only on $select). */
const GROUP_DEFAULT = [
  "id",
  "deletedDateTime",
  "classification",
  "createdDateTime",
  "creationOptions",
  "description",
  "displayName",
  "expirationDateTime",
  "groupTypes",
  "isAssignableToRole",
  "mail",
  "mailEnabled",
  "mailNickname",
  "membershipRule",
  "membershipRuleProcessingState",
  "onPremisesLastSyncDateTime",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "renewedDateTime",
  "resourceBehaviorOptions",
  "resourceProvisioningOptions",
  "securityEnabled",
  "securityIdentifier",
  "theme",
  "visibility",
  "onPremisesProvisioningErrors",
] as const;

export type Getter<T> = (item: T, store: TenantStore) => unknown;

export const USER_PROPS: Record<string, Getter<UserRecord>> = {
  id: (u) => u.id,
  userPrincipalName: (u) => u.userPrincipalName,
  displayName: (u) => u.displayName,
  givenName: (u) => u.givenName,
  surname: (u) => u.surname,
  mail: (u) => u.mail,
  businessPhones: () => [],
  jobTitle: () => null,
  mobilePhone: () => null,
  officeLocation: () => null,
  preferredLanguage: () => null,
  department: (u) => u.department,
  signInActivity: (u) => u.signInActivity ?? null,
  companyName: () => null,
  userType: () => "Member",
  createdDateTime: (u) => u.createdDateTime,
  usageLocation: (u) => u.usageLocation,
  accountEnabled: (u) => u.accountEnabled,
  assignedLicenses: (u, s) => s.assignedLicenses(u),
  licenseAssignmentStates: (u) =>
    u.states.map((st) => ({
      assignedByGroup: st.assignedByGroup,
      disabledPlans: st.disabledPlans,
      error: st.error,
      lastUpdatedDateTime: st.lastUpdatedDateTime,
      skuId: st.skuId,
      state: st.state,
    })),
  assignedPlans: (u, s) =>
    s.assignedLicenses(u).flatMap((l) =>
      (s.skusById.get(l.skuId)?.servicePlans ?? [])
        .filter((p) => !l.disabledPlans.includes(p.servicePlanId))
        .map((p) => ({
          assignedDateTime: u.createdDateTime,
          capabilityStatus: "Enabled",
          service: p.servicePlanName,
          servicePlanId: p.servicePlanId,
        })),
    ),
  proxyAddresses: (u) => [`SMTP:${u.userPrincipalName}`],
  otherMails: () => [],
  onPremisesSyncEnabled: () => null,
  employeeId: () => null,
};

const GROUP_PROPS: Record<string, Getter<GroupRecord>> = {
  id: (g) => g.id,
  deletedDateTime: () => null,
  classification: () => null,
  createdDateTime: (g) => g.createdDateTime,
  creationOptions: () => [],
  description: () => null,
  displayName: (g) => g.displayName,
  expirationDateTime: () => null,
  groupTypes: () => [],
  isAssignableToRole: () => null,
  mail: () => null,
  mailEnabled: (g) => g.mailEnabled,
  mailNickname: (g) => g.mailNickname,
  membershipRule: () => null,
  membershipRuleProcessingState: () => null,
  onPremisesLastSyncDateTime: () => null,
  onPremisesSecurityIdentifier: () => null,
  onPremisesSyncEnabled: () => null,
  preferredDataLocation: () => null,
  preferredLanguage: () => null,
  proxyAddresses: () => [],
  renewedDateTime: (g) => g.createdDateTime,
  resourceBehaviorOptions: () => [],
  resourceProvisioningOptions: () => [],
  securityEnabled: (g) => g.securityEnabled,
  securityIdentifier: (g) => `S-1-12-1-${parseInt(g.id.slice(0, 8), 16)}`,
  theme: () => null,
  visibility: () => null,
  onPremisesProvisioningErrors: () => [],
  assignedLicenses: (g) => g.licenses.map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId })),
  licenseProcessingState: (g) => (g.licenseProcessingState ? { state: g.licenseProcessingState } : null),
  // Filterable but never returned (group resource type, https://learn.microsoft.com/graph/api/resources/group).
  hasMembersWithLicenseErrors: () => null,
};

/** One property of a $select, resolved to the table's own spelling. */
type Projection<T> = readonly (readonly [key: string, get: Getter<T>])[];

/** Resolved $select lists per property table: a page resolves its names once, not once per item. */
const projections = new WeakMap<object, Map<string, Projection<never>>>();
const lastProjection = new WeakMap<
  object,
  { readonly names: readonly string[]; readonly projection: Projection<never> }
>();

/**
 * The getters of a $select list, in its order, each property once (Graph
 * matches names without regard to case). Throws Graph's 400 for a name the
 * type does not have. Cached per table and list.
 */
export function projection<T>(
  props: Record<string, Getter<T>>,
  names: readonly string[],
  type: string,
): Projection<T> {
  // A request's $select list is one array for all its items: found by identity first.
  const same = lastProjection.get(props);
  if (same?.names === names) return same.projection as Projection<T>;
  let byList = projections.get(props);
  if (!byList) projections.set(props, (byList = new Map()));
  const found = lookupProjection(props, byList, names, type);
  lastProjection.set(props, { names, projection: found as Projection<never> });
  return found;
}

function lookupProjection<T>(
  props: Record<string, Getter<T>>,
  byList: Map<string, Projection<never>>,
  names: readonly string[],
  type: string,
): Projection<T> {
  const cacheKey = names.join(",");
  const cached = byList.get(cacheKey) as Projection<T> | undefined;
  if (cached) return cached;
  const resolved: [string, Getter<T>][] = [];
  for (const name of names) {
    const key = Object.hasOwn(props, name)
      ? name
      : Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key)
      throw new GraphError(
        400,
        "BadRequest",
        `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`,
      );
    if (!resolved.some(([k]) => k === key)) resolved.push([key, props[key]!]);
  }
  // A list grows with distinct $select spellings only; a client sending endless variants gets no cache.
  if (byList.size < 256) byList.set(cacheKey, resolved as Projection<never>);
  return resolved;
}

function project<T>(
  item: T,
  store: TenantStore,
  props: Record<string, Getter<T>>,
  names: readonly string[],
  type: string,
): Json {
  const out: Json = {};
  for (const [key, get] of projection(props, names, type)) out[key] = get(item, store);
  return out;
}

const has = (props: object, name: string) =>
  Object.keys(props).some((k) => k.toLowerCase() === name.toLowerCase());

/** Whether a group has the property (a mixed member list leaves user-only properties out of groups). */
export const isGroupProperty = (name: string): boolean => has(GROUP_PROPS, name);

/**
 * Checks a $select list up front, so an empty page still answers 400 for an
 * unknown property. "member": a group's members, users or groups.
 */
export function checkSelect(kind: "user" | "group" | "member", select: readonly string[] | undefined): void {
  for (const name of select ?? []) {
    if (name === "*") continue;
    const known =
      kind === "user"
        ? has(USER_PROPS, name)
        : kind === "group"
          ? has(GROUP_PROPS, name)
          : has(USER_PROPS, name) || has(GROUP_PROPS, name);
    if (!known)
      throw new GraphError(
        400,
        "BadRequest",
        `Could not find a property named '${name}' on type 'microsoft.graph.${kind === "member" ? "directoryObject" : kind}'.`,
      );
  }
}

const expand = (
  select: readonly string[] | undefined,
  defaults: readonly string[],
  all: Record<string, unknown>,
) =>
  !select
    ? defaults
    : select.includes("*")
      ? Object.keys(all).filter((k) => k !== "hasMembersWithLicenseErrors")
      : select;

/** The property names a user $select stands for (Graph's defaults without one, every property for `*`). */
export const userSelection = (select: readonly string[] | undefined): readonly string[] =>
  expand(select, USER_DEFAULT, USER_PROPS);

export function userJson(user: UserRecord, store: TenantStore, select?: readonly string[]): Json {
  return project(user, store, USER_PROPS, userSelection(select), "user");
}

export function groupJson(group: GroupRecord, store: TenantStore, select?: readonly string[]): Json {
  return project(group, store, GROUP_PROPS, expand(select, GROUP_DEFAULT, GROUP_PROPS), "group");
}

export function skuJson(sku: SkuRecord, tenant: TenantInfo): Json {
  return {
    accountName: tenant.displayName,
    accountId: tenant.id,
    appliesTo: sku.appliesTo,
    capabilityStatus: sku.capabilityStatus,
    consumedUnits: sku.consumedUnits,
    id: `${tenant.id}_${sku.skuId}`,
    prepaidUnits: { ...sku.prepaidUnits },
    servicePlans: sku.servicePlans.map((p) => ({ ...p })),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: [...sku.subscriptionIds],
  };
}

export function organizationJson(tenant: TenantInfo): Json {
  return {
    id: tenant.id,
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: tenant.countryLetterCode,
    createdDateTime: "2020-01-01T00:00:00Z",
    displayName: tenant.displayName,
    preferredLanguage: "en",
    tenantType: "AAD",
    assignedPlans: [],
    provisionedPlans: [],
    verifiedDomains: tenant.domains.map((name, i) => ({
      capabilities: i === 0 ? "Email, OfficeCommunicationsOnline" : "Email",
      isDefault: i === Math.min(1, tenant.domains.length - 1),
      isInitial: i === 0,
      name,
      type: "Managed",
    })),
  };
}

/** licenseDetails: one per SKU the user holds; disabled plans show provisioningStatus Disabled. */
export function licenseDetailsJson(user: UserRecord, store: TenantStore): Json[] {
  return store.assignedLicenses(user).map((license) => {
    const sku = store.skusById.get(license.skuId);
    return {
      id: Buffer.from((user.id + license.skuId).replace(/-/g, ""), "hex").toString("base64url"),
      skuId: license.skuId,
      skuPartNumber: sku?.skuPartNumber ?? null,
      servicePlans: (sku?.servicePlans ?? []).map((p) => ({
        servicePlanId: p.servicePlanId,
        servicePlanName: p.servicePlanName,
        provisioningStatus: license.disabledPlans.includes(p.servicePlanId)
          ? "Disabled"
          : p.provisioningStatus,
        appliesTo: p.appliesTo,
      })),
    };
  });
}

/** Properties of the types served as plain objects, for checking $select before anything is listed. */
const PLAIN_TYPES = {
  subscribedSku: [
    "accountName",
    "accountId",
    "appliesTo",
    "capabilityStatus",
    "consumedUnits",
    "id",
    "prepaidUnits",
    "servicePlans",
    "skuId",
    "skuPartNumber",
    "subscriptionIds",
  ],
  organization: [
    "id",
    "deletedDateTime",
    "businessPhones",
    "city",
    "country",
    "countryLetterCode",
    "createdDateTime",
    "displayName",
    "preferredLanguage",
    "tenantType",
    "assignedPlans",
    "provisionedPlans",
    "verifiedDomains",
  ],
  licenseDetails: ["id", "skuId", "skuPartNumber", "servicePlans"],
  companySubscription: [
    "id",
    "commerceSubscriptionId",
    "createdDateTime",
    "isTrial",
    "nextLifecycleDateTime",
    "ownerId",
    "ownerTenantId",
    "ownerType",
    "serviceStatus",
    "skuId",
    "skuPartNumber",
    "status",
    "totalLicenses",
  ],
} as const;

/** Refuses a $select naming a property the type does not have, as Graph does (it never ignores one). */
export function checkPlainSelect(
  type: keyof typeof PLAIN_TYPES,
  select: readonly string[] | undefined,
): void {
  const known: readonly string[] = PLAIN_TYPES[type];
  for (const name of select ?? []) {
    if (name !== "*" && !known.some((k) => k.toLowerCase() === name.toLowerCase()))
      throw unknownProperty(name, type);
  }
}

/** Applies $select to a plain object (subscribedSkus, organization, licenseDetails); check it first with {@link checkPlainSelect}. */
export function selectFrom(item: Json, select: readonly string[] | undefined): Json {
  if (!select || select.includes("*")) return item;
  const out: Json = {};
  for (const name of select) {
    const key = Object.keys(item).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key) out[key] = item[key];
  }
  return out;
}
