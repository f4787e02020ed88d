import type { LiveUser } from "../model/live-state.js";

/**
 * A 32-bit digest of a user id (FNV-1a over its UTF-16 code units), computed
 * where the page is parsed. Equal ids have equal digests; the rare equal
 * digests of different ids are told apart by comparing the ids themselves.
 */
export function idDigest(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A user whose id was read twice, or undefined. Sorts a digest of every id
 * (one typed-array sort: a million users take about a tenth of a second,
 * where a Set of their ids built page by page took a second) and compares
 * ids only where two digests are equal.
 */
export function firstDuplicateId(users: readonly LiveUser[]): LiveUser | undefined {
  const digests = new Uint32Array(users.length);
  for (let i = 0; i < users.length; i += 1) digests[i] = idDigest(users[i]!.id);
  const sorted = digests.slice().sort();
  const shared = new Set<number>();
  for (let i = 1; i < sorted.length; i += 1) if (sorted[i] === sorted[i - 1]) shared.add(sorted[i]!);
  if (shared.size === 0) return undefined;
  const seen = new Set<string>();
  for (let i = 0; i < users.length; i += 1) {
    if (!shared.has(digests[i]!)) continue;
    const user = users[i]!;
    if (seen.has(user.id)) return user;
    seen.add(user.id);
  }
  return undefined;
}
