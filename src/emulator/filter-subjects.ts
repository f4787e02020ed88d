import type { FilterSubject } from "./filter.js";
import type { TenantStore } from "./tenant-store.js";
import type { GroupRecord, UserRecord } from "./tenant-model.js";

/** User properties licensing scripts filter on. */
export const userSubject = (store: TenantStore): FilterSubject<UserRecord> => ({
  resource: "User",
  properties: {
    id: (u) => u.id,
    userPrincipalName: (u) => u.userPrincipalName,
    displayName: (u) => u.displayName,
    givenName: (u) => u.givenName,
    surname: (u) => u.surname,
    mail: (u) => u.mail,
    usageLocation: (u) => u.usageLocation,
    accountEnabled: (u) => u.accountEnabled,
  },
  ordered: ["userPrincipalName", "displayName", "givenName", "surname", "mail", "usageLocation"],
  skuIds: (u) => store.assignedLicenses(u).map((l) => l.skuId),
});

/**
 * userSubject for filtering the store's whole user list in its own order
 * (not a group's members, not a lagged view of it): `ge`/`le` ranges on
 * userPrincipalName compare the store's lower-cased names by position.
 */
export const storeUserSubject = (store: TenantStore): FilterSubject<UserRecord> => ({
  ...userSubject(store),
  orderedKeys: (property) => (property === "userPrincipalName" ? store.upnKeysByPosition() : undefined),
});

/** Group properties licensing scripts filter on, hasMembersWithLicenseErrors included. */
export const groupSubject = (store: TenantStore): FilterSubject<GroupRecord> => ({
  resource: "Group",
  properties: {
    id: (g) => g.id,
    displayName: (g) => g.displayName,
    mailNickname: (g) => g.mailNickname,
    securityEnabled: (g) => g.securityEnabled,
  },
  ordered: ["displayName", "mailNickname"],
  skuIds: (g) => g.licenses.map((l) => l.skuId),
  hasMembersWithLicenseErrors: (g) => store.hasMembersWithLicenseErrors(g),
});
