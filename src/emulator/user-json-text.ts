import { projection, USER_PROPS, userSelection, type Getter } from "./serializers.js";
import type { TenantStore } from "./tenant-store.js";
import type { LicenseStateRecord, UserRecord } from "./tenant-model.js";
import { cachedUserText, type UserTextWriter } from "./user-text-cache.js";

/**
 * Users as JSON text, written directly: the same text as
 * `JSON.stringify(userJson(user, store, select))`, without building an
 * object per user first. A page of 999 users with licensing properties is
 * the emulator's most frequent large answer; building and stringifying
 * objects for it dominated the time of a large tenant's read.
 */

/** Appends `"key":value` (with a leading comma unless first) or nothing when the value is undefined. */
type Writer = (user: UserRecord, store: TenantStore, first: boolean) => string;

/** Strings JSON.stringify writes unchanged between quotes: no quote, backslash, control character or surrogate. */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** JSON.stringify for a string, without its cost per call for the names and ids that need no escaping. */
const quote = (text: string): string => (PLAIN.test(text) ? `"${text}"` : JSON.stringify(text));

/** Quoted license values (SKU and group ids, states, times): few distinct ones, repeated on every user. */
const quotedValues = new Map<string, string>();
const quoteValue = (text: string): string => {
  let quoted = quotedValues.get(text);
  if (quoted === undefined) {
    quoted = quote(text);
    if (quotedValues.size < 10_000) quotedValues.set(text, quoted);
  }
  return quoted;
};

const stringList = (list: readonly string[]): string => {
  if (list.length === 0) return "[]";
  let text = "[";
  for (let i = 0; i < list.length; i += 1) text += (i === 0 ? "" : ",") + quoteValue(list[i]!);
  return `${text}]`;
};

const isActive = (s: LicenseStateRecord): boolean => s.state === "Active" || s.state === "ActiveWithError";

/** store.assignedLicenses as text; the common case (each held SKU by one active path) without the merge. */
function assignedLicensesText(user: UserRecord, store: TenantStore): string {
  const states = user.states;
  let text = "[";
  let count = 0;
  for (let i = 0; i < states.length; i += 1) {
    const state = states[i]!;
    if (!isActive(state)) continue;
    for (let j = 0; j < i; j += 1) {
      // The same SKU by two paths: let the store merge the disabled plans.
      if (states[j]!.skuId === state.skuId && isActive(states[j]!))
        return JSON.stringify(store.assignedLicenses(user));
    }
    text += `${count === 0 ? "" : ","}{"disabledPlans":${stringList(state.disabledPlans)},"skuId":${quoteValue(state.skuId)}}`;
    count += 1;
  }
  return `${text}]`;
}

function statesText(user: UserRecord): string {
  const states = user.states;
  let text = "[";
  for (let i = 0; i < states.length; i += 1) {
    const s = states[i]!;
    text +=
      `${i === 0 ? "" : ","}{"assignedByGroup":${s.assignedByGroup === null ? "null" : quoteValue(s.assignedByGroup)},` +
      `"disabledPlans":${stringList(s.disabledPlans)},"error":${quoteValue(s.error)},` +
      `"lastUpdatedDateTime":${quoteValue(s.lastUpdatedDateTime)},"skuId":${quoteValue(s.skuId)},"state":${quoteValue(s.state)}}`;
  }
  return `${text}]`;
}

/** Record fields served as they are (strings or null; booleans). */
const PLAIN_FIELDS: Readonly<Record<string, keyof UserRecord>> = {
  id: "id",
  userPrincipalName: "userPrincipalName",
  displayName: "displayName",
  givenName: "givenName",
  surname: "surname",
  mail: "mail",
  usageLocation: "usageLocation",
  accountEnabled: "accountEnabled",
  department: "department",
  createdDateTime: "createdDateTime",
};

function writerFor(key: string, get: Getter<UserRecord>): Writer {
  const name = `"${key}":`;
  const field = Object.hasOwn(PLAIN_FIELDS, key) ? PLAIN_FIELDS[key] : undefined;
  if (field !== undefined) {
    return (user, _store, first) => {
      const value = user[field];
      if (value === undefined) return "";
      const text = typeof value === "string" ? quote(value) : JSON.stringify(value);
      return (first ? name : `,${name}`) + text;
    };
  }
  if (key === "assignedLicenses")
    return (user, store, first) => (first ? name : `,${name}`) + assignedLicensesText(user, store);
  if (key === "licenseAssignmentStates")
    return (user, _store, first) => (first ? name : `,${name}`) + statesText(user);
  return (user, store, first) => {
    const text = JSON.stringify(get(user, store)) as string | undefined;
    if (text === undefined) return "";
    return (first ? name : `,${name}`) + text;
  };
}

interface Compiled {
  readonly text: (user: UserRecord, store: TenantStore) => string;
  readonly kept: UserTextWriter;
}

const compiled = new Map<string, Compiled>();

function compile(select: readonly string[] | undefined): Compiled {
  const names = userSelection(select);
  const cacheKey = names.join(",");
  const cached = compiled.get(cacheKey);
  if (cached) return cached;
  const properties = projection(USER_PROPS, names, "user");
  const writers = properties.map(([key, get]) => writerFor(key, get));
  const text = (user: UserRecord, store: TenantStore): string => {
    let json = "{";
    let first = true;
    for (const writer of writers) {
      const part = writer(user, store, first);
      if (part !== "") {
        json += part;
        first = false;
      }
    }
    return `${json}}`;
  };
  // One text cache per $select: the same users are read with the same $select read after read.
  const entry = {
    text,
    kept: cachedUserText(
      properties.map(([key]) => key),
      text,
    ),
  };
  if (compiled.size < 256) compiled.set(cacheKey, entry);
  return entry;
}

/**
 * A function writing users as `$select` asks, properties resolved once.
 * Throws Graph's 400 for a property users do not have.
 */
export function userTextWriter(
  select: readonly string[] | undefined,
): (user: UserRecord, store: TenantStore) => string {
  return compile(select).text;
}

/**
 * {@link userTextWriter}'s text, kept per user between reads and written
 * again only when the user changed (see user-text-cache.ts).
 */
export function keptUserTextWriter(select: readonly string[] | undefined): UserTextWriter {
  return compile(select).kept;
}
