import type { TenantStore } from "./tenant-store.js";
import type { UserRecord } from "./tenant-model.js";

/**
 * Each user's JSON text, kept as UTF-8 bytes per `$select` writer, so that a
 * user who has not changed is not written again on the next read: a large
 * tenant is read whole, page after page, read after read, and writing the
 * same text every time was most of the emulator's work.
 *
 * An entry is served only while the record still holds the very values the
 * text was written from (compared by identity: strings, booleans, and the
 * `states` array, which the store replaces on every change rather than
 * editing it). It therefore cannot go stale whichever way a user changes:
 * PATCH, a rename, a license or group change, or a lagged read of an older
 * version (a different object, with its own entry).
 *
 * Memory: per cached user, the text (about 470 bytes for a licensing
 * `$select`), its Buffer object and one array of the values it depends on
 * (about 100 bytes together), and a WeakMap entry; nothing is kept for a
 * record once it is gone.
 */

/** The record fields each user property's text is written from; absent: the text depends on more (not cached). */
const DEPENDS_ON: Readonly<Record<string, readonly (keyof UserRecord)[]>> = {
  id: ["id"],
  userPrincipalName: ["userPrincipalName"],
  displayName: ["displayName"],
  givenName: ["givenName"],
  surname: ["surname"],
  mail: ["mail"],
  usageLocation: ["usageLocation"],
  accountEnabled: ["accountEnabled"],
  department: ["department"],
  createdDateTime: ["createdDateTime"],
  // Replaced, never edited: the record holds the object read from the fixture or state file.
  signInActivity: ["signInActivity"],
  assignedLicenses: ["states"],
  licenseAssignmentStates: ["states"],
  proxyAddresses: ["userPrincipalName"],
  businessPhones: [],
  jobTitle: [],
  mobilePhone: [],
  officeLocation: [],
  preferredLanguage: [],
  companyName: [],
  userType: [],
  otherMails: [],
  onPremisesSyncEnabled: [],
  employeeId: [],
};

/** Writes one user as JSON bytes. */
export type UserBytesWriter = (user: UserRecord, store: TenantStore) => Buffer;

/**
 * Wraps a text writer for the given properties in a cache of each user's
 * bytes; a writer of a property whose dependencies are not known here
 * writes afresh every time.
 */
export function cachedUserBytes(
  properties: readonly string[],
  write: (user: UserRecord, store: TenantStore) => string,
): UserBytesWriter {
  const fields = dependencies(properties);
  if (fields === undefined) return (user, store) => Buffer.from(write(user, store));
  // [bytes, ...the values of `fields` the bytes were written from]
  const cache = new WeakMap<UserRecord, unknown[]>();
  const count = fields.length;
  return (user, store) => {
    const entry = cache.get(user);
    if (entry !== undefined) {
      let fresh = true;
      for (let i = 0; i < count; i += 1) {
        if (entry[i + 1] !== user[fields[i]!]) {
          fresh = false;
          break;
        }
      }
      if (fresh) return entry[0] as Buffer;
    }
    const bytes = Buffer.from(write(user, store));
    const next: unknown[] = [bytes];
    for (let i = 0; i < count; i += 1) next.push(user[fields[i]!]);
    cache.set(user, next);
    return bytes;
  };
}

/** The union of the properties' dependencies, or undefined when one of them is not known. */
function dependencies(properties: readonly string[]): (keyof UserRecord)[] | undefined {
  const fields = new Set<keyof UserRecord>();
  for (const property of properties) {
    const depends = Object.hasOwn(DEPENDS_ON, property) ? DEPENDS_ON[property] : undefined;
    if (depends === undefined) return undefined;
    for (const field of depends) fields.add(field);
  }
  return [...fields];
}
