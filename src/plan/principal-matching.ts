import type { LocatedName, ResolvedPrincipal } from "../model/desired-state.js";
import type { LiveGroup, LiveUser } from "../model/live-state.js";
import type { PrincipalRef } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { closestMatches, didYouMean } from "../util/suggest.js";
import { compareText, type LiveIndex } from "./live-index.js";

/** A manifest entry together with the live principal it names. */
export interface MatchedPrincipal {
  readonly desired: ResolvedPrincipal;
  readonly ref: PrincipalRef;
}

export interface PrincipalMatches {
  readonly users: readonly MatchedPrincipal[];
  readonly groups: readonly MatchedPrincipal[];
  /** Protected principal id -> the protect entry naming it. */
  readonly protectedUsers: ReadonlyMap<string, LocatedName>;
  readonly protectedGroups: ReadonlyMap<string, LocatedName>;
  readonly problems: readonly Problem[];
}

export type GroupLookup =
  | { readonly kind: "found"; readonly group: LiveGroup }
  | { readonly kind: "ambiguous"; readonly candidates: readonly LiveGroup[] }
  | { readonly kind: "unknown" };

export function userRef(user: LiveUser, desired?: ResolvedPrincipal): PrincipalRef {
  const ref = { kind: "user" as const, id: user.id.toLowerCase(), name: user.userPrincipalName };
  return desired ? { ...ref, location: desired.location } : ref;
}

export function groupRef(group: LiveGroup, desired?: ResolvedPrincipal): PrincipalRef {
  const ref = { kind: "group" as const, id: group.id.toLowerCase(), name: group.displayName };
  return desired ? { ...ref, location: desired.location } : ref;
}

/** A user by userPrincipalName or object id, both case-insensitive. */
export function findUser(index: LiveIndex, name: string): LiveUser | undefined {
  const needle = name.trim().toLowerCase();
  const byId = index.users.get(needle);
  if (byId) return byId;
  return index.usersByUpn.get(needle);
}

/** A group by object id, else displayName, else mailNickname (case-insensitive). */
export function findGroup(index: LiveIndex, name: string): GroupLookup {
  const needle = name.trim().toLowerCase();
  const byId = index.groups.get(needle);
  if (byId) return { kind: "found", group: byId };
  for (const names of [index.groupsByName, index.groupsByMailNickname]) {
    const hits = names.get(needle) ?? [];
    if (hits.length === 1) return { kind: "found", group: hits[0]! };
    if (hits.length > 1) return { kind: "ambiguous", candidates: hits };
  }
  return { kind: "unknown" };
}

function withHint(base: string, suggestions: string[]): string {
  const mean = didYouMean(suggestions);
  return mean ? `${mean} ${base}` : base;
}

/**
 * Finds the live principal behind every manifest entry and every protected
 * name. Unknown or ambiguous names are located errors; two entries that turn
 * out to be the same principal (one by name, one by id) are an error too,
 * because the plan could not say which one wins.
 */
export function matchPrincipals(
  desired: {
    readonly users: readonly ResolvedPrincipal[];
    readonly groups: readonly ResolvedPrincipal[];
    readonly protect: { readonly users: readonly LocatedName[]; readonly groups: readonly LocatedName[] };
  },
  index: LiveIndex,
): PrincipalMatches {
  const problems: Problem[] = [];
  const users: MatchedPrincipal[] = [];
  const groups: MatchedPrincipal[] = [];
  const seen = new Map<string, ResolvedPrincipal>();
  const upns = () => index.live.users.map((u) => u.userPrincipalName);
  const groupNames = () => index.live.groups.map((g) => g.displayName);

  const claim = (key: string, entry: ResolvedPrincipal, name: string): boolean => {
    const earlier = seen.get(key);
    if (earlier) {
      const at = `${earlier.location.file}:${earlier.location.line}:${earlier.location.column}`;
      problems.push({
        code: "duplicate-principal",
        severity: "error",
        message: `${entry.kind} "${entry.ref}" is ${name}, which is already declared as "${earlier.ref}" at ${at}`,
        hint: "Declare each principal once; merge the two entries.",
        location: entry.location,
      });
      return false;
    }
    seen.set(key, entry);
    return true;
  };

  for (const entry of desired.users) {
    const user = findUser(index, entry.ref);
    if (!user) {
      problems.push({
        code: "unknown-principal",
        severity: "error",
        message: `user "${entry.ref}" does not exist in tenant ${index.live.tenant.displayName || index.live.tenant.id}`,
        hint: withHint(
          "Use the userPrincipalName or object id of an existing user.",
          closestMatches(entry.ref, upns()),
        ),
        location: entry.location,
      });
      continue;
    }
    if (claim(`user:${user.id.toLowerCase()}`, entry, user.userPrincipalName))
      users.push({ desired: entry, ref: userRef(user, entry) });
  }

  for (const entry of desired.groups) {
    const lookup = findGroup(index, entry.ref);
    if (lookup.kind === "unknown") {
      problems.push({
        code: "unknown-principal",
        severity: "error",
        message: `group "${entry.ref}" does not exist in tenant ${index.live.tenant.displayName || index.live.tenant.id}`,
        hint: withHint(
          "Use the displayName, mailNickname or object id of an existing group.",
          closestMatches(entry.ref, groupNames()),
        ),
        location: entry.location,
      });
      continue;
    }
    if (lookup.kind === "ambiguous") {
      const ids = lookup.candidates.map((g) => g.id.toLowerCase()).sort(compareText);
      problems.push({
        code: "ambiguous-group",
        severity: "error",
        message: `group "${entry.ref}" names ${ids.length} groups (${ids.join(", ")})`,
        hint: "Name the group by its object id.",
        location: entry.location,
      });
      continue;
    }
    if (claim(`group:${lookup.group.id.toLowerCase()}`, entry, lookup.group.displayName))
      groups.push({ desired: entry, ref: groupRef(lookup.group, entry) });
  }

  const protectedUsers = new Map<string, LocatedName>();
  for (const name of desired.protect.users) {
    const user = findUser(index, name.name);
    if (user) protectedUsers.set(user.id.toLowerCase(), name);
    else
      problems.push({
        code: "protected-principal-not-found",
        severity: "warning",
        message: `protected user "${name.name}" does not exist in the tenant, so nothing protects it`,
        hint: withHint("Fix the name or remove it from protect.users.", closestMatches(name.name, upns())),
        location: name.location,
      });
  }
  const protectedGroups = new Map<string, LocatedName>();
  for (const name of desired.protect.groups) {
    const lookup = findGroup(index, name.name);
    if (lookup.kind === "found") protectedGroups.set(lookup.group.id.toLowerCase(), name);
    else if (lookup.kind === "ambiguous") {
      // Protect all of them: refusing too much is the safe side of a guard.
      for (const group of lookup.candidates) protectedGroups.set(group.id.toLowerCase(), name);
    } else
      problems.push({
        code: "protected-principal-not-found",
        severity: "warning",
        message: `protected group "${name.name}" does not exist in the tenant, so nothing protects it`,
        hint: withHint(
          "Fix the name or remove it from protect.groups.",
          closestMatches(name.name, groupNames()),
        ),
        location: name.location,
      });
  }
  return { users, groups, protectedUsers, protectedGroups, problems };
}
