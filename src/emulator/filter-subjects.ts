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
