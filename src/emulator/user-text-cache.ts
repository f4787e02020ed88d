import type { TenantStore } from "./tenant-store.js";
import type { UserRecord } from "./tenant-model.js";

/**
 * Each user's JSON text, kept per `$select` writer, so that a user who has
 * not changed is not written again on the next read: a large tenant is read
 * whole, page after page, read after read, and writing the same text every
 * time was most of the emulator's work. Kept as strings, not Buffers: a
 * million small Buffers cost more to allocate and to collect than encoding
 * each page once (see collectionBytes).
 *
 * Texts are kept from the second time a tenant is read through with the
 * same `$select` (counted in users written): keeping them on the first read
 * made that read slower than writing them afresh.
 *
 * An entry is served only while the record still holds the very values the
 * text was written from (compared by identity: strings, booleans, and the
 * `states` array, which the store replaces on every change rather than
 * editing it). It therefore cannot go stale whichever way a user changes:
 * PATCH, a rename, a license or group change, or a lagged read of an older
 * version (a different object, with its own entry).
 *
 * Memory: per cached user, the text (about 470 bytes for a licensing
 * `$select`, one byte per character for names without non-Latin-1
 * letters), one array of the values it depends on (about 90 bytes) and a
 * WeakMap entry (about 40 bytes); nothing is kept for a record once it is
 * gone. Measured with the heap's own slack: the emulator of a 1,000,000-user
 * tenant grows by about 1 GB once a licensing `$select` is kept, one of
 * 100,000 users by about 100 MB.
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

/**
 * A selection of no more properties than this, none of them the license
 * lists, is written afresh: writing a few plain strings costs less than
 * looking the kept text up (e.g. `$select=id` for a group's members).
 */
const CHEAP_PROPERTIES = 3;
const COSTLY = new Set(["assignedLicenses", "licenseAssignmentStates", "signInActivity", "proxyAddresses"]);

/** Writes one user as JSON text. */
export type UserTextWriter = (user: UserRecord, store: TenantStore) => string;

/**
 * Wraps a text writer for the given properties in a cache of each user's
 * text; a writer of a property whose dependencies are not known here
 * writes afresh every time.
 */
export function cachedUserText(properties: readonly string[], write: UserTextWriter): UserTextWriter {
  const fields = dependencies(properties);
  if (fields === undefined) return write;
  if (properties.length <= CHEAP_PROPERTIES && !properties.some((p) => COSTLY.has(p))) return write;
  // [text, ...the values of `fields` the text was written from]
  const cache = new WeakMap<UserRecord, unknown[]>();
  // Texts written without keeping them, per tenant, until the tenant has been read through once.
  const unkept = new WeakMap<TenantStore, number>();
  const count = fields.length;
  return (user, store) => {
    const written = unkept.get(store) ?? 0;
    if (written < store.users.length) {
      // Keeping a text costs more than writing it (it outlives the request, so the collector moves
      // it and the heap grows): a tenant read only once, as one plan does, never pays for keeping.
      unkept.set(store, written + 1);
      return write(user, store);
    }
    const entry = cache.get(user);
    if (entry !== undefined) {
      let fresh = true;
      for (let i = 0; i < count; i += 1) {
        if (entry[i + 1] !== user[fields[i]!]) {
          fresh = false;
          break;
        }
      }
      if (fresh) return entry[0] as string;
    }
    const text = write(user, store);
    // Sized up front: an array grown by push reserves twice the slots, for every user.
    const next = new Array<unknown>(count + 1);
    next[0] = text;
    for (let i = 0; i < count; i += 1) next[i + 1] = user[fields[i]!];
    cache.set(user, next);
    return text;
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
