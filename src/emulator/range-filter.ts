import { parseFilter, type FilterSubject } from "./filter.js";

/**
 * `ge`/`le` ranges on an ordered property, answered from an index of the
 * collection's keys instead of a scan: a partitioned read asks for dozens of
 * counts and then pages through each range, and scanning the whole
 * collection for each of them was the emulator's largest cost after
 * writing users.
 */

/** The users of a range, in collection order. */
export interface RangeMatch {
  /** How many items the range holds. */
  readonly count: number;
  /** Positions in the collection of the items in the range, ascending (collection order). */
  positions(): Int32Array;
  /** The lowest of them (the range's first item in collection order), without sorting the range. */
  first(): number | undefined;
}

/** Positions of one collection's keys sorted by key; made once per keys array. */
class SortedKeys {
  readonly order: Int32Array;
  /** Ascending positions per range, kept while their total stays below a few times the collection. */
  private readonly ranges = new Map<string, Int32Array>();
  private kept = 0;

  constructor(private readonly keys: readonly (string | null)[]) {
    const present: number[] = [];
    for (let at = 0; at < keys.length; at += 1) if (typeof keys[at] === "string") present.push(at);
    // Code unit by code unit, as compileFilter compares; equal keys (none, names are unique) by position.
    present.sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    this.order = Int32Array.from(present);
  }

  /** The first index in `order` whose key is >= `from` (or > `from` with `after`). */
  private bound(from: string, after: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const key = this.keys[this.order[mid]!]!;
      if (key < from || (after && key === from)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  range(from: string | undefined, to: string | undefined): RangeMatch {
    const lo = from === undefined ? 0 : this.bound(from, false);
    const hi = Math.max(lo, to === undefined ? this.order.length : this.bound(to, true));
    return { count: hi - lo, positions: () => this.positions(lo, hi), first: () => this.lowest(lo, hi) };
  }

  private lowest(lo: number, hi: number): number | undefined {
    let first: number | undefined;
    for (let i = lo; i < hi; i += 1)
      if (first === undefined || this.order[i]! < first) first = this.order[i]!;
    return first;
  }

  private positions(lo: number, hi: number): Int32Array {
    const name = `${lo}:${hi}`;
    const kept = this.ranges.get(name);
    if (kept) return kept;
    const positions = this.order.slice(lo, hi).sort();
    if (this.kept + positions.length > 4 * this.order.length) {
      this.ranges.clear();
      this.kept = 0;
    }
    this.ranges.set(name, positions);
    this.kept += positions.length;
    return positions;
  }
}

/** One index per keys array: a rename makes the store build new keys, and with them a new index. */
const indexes = new WeakMap<readonly (string | null)[], SortedKeys>();

/**
 * The range a filter asks for when it is a `ge`/`le` range (one bound or
 * both, joined by `and`) on one ordered property whose keys the subject
 * keeps; undefined for any other filter. Call compileFilter first: it
 * refuses what Graph refuses, this only answers the same question faster.
 */
export function compileRangeFilter<T>(text: string, subject: FilterSubject<T>): RangeMatch | undefined {
  if (!subject.orderedKeys) return undefined;
  const { node } = parseFilter(text);
  const bounds = node.op === "and" ? [node.left, node.right] : [node];
  let property: string | undefined;
  let from: string | undefined;
  let to: string | undefined;
  for (const bound of bounds) {
    if ((bound.op !== "ge" && bound.op !== "le") || typeof bound.value !== "string") return undefined;
    const name = subject.ordered?.find((p) => p.toLowerCase() === bound.path.toLowerCase());
    if (name === undefined || (property !== undefined && name !== property)) return undefined;
    property = name;
    // The same comparison as compileFilter's: lower-cased, code unit by code unit; a missing value matches nothing.
    const want = bound.value.toLowerCase();
    if (bound.op === "ge") {
      if (from !== undefined) return undefined;
      from = want;
    } else {
      if (to !== undefined) return undefined;
      to = want;
    }
  }
  const keys = property === undefined ? undefined : subject.orderedKeys(property);
  if (keys === undefined) return undefined;
  return indexOf(keys).range(from, to);
}

function indexOf(keys: readonly (string | null)[]): SortedKeys {
  let index = indexes.get(keys);
  if (index === undefined) indexes.set(keys, (index = new SortedKeys(keys)));
  return index;
}

/**
 * Sorts the keys now rather than on the first range asked for: Graph's
 * directory has its indexes before any client reads, and sorting a million
 * names takes a few seconds that a first read should not wait for.
 */
export function prepareRangeIndex(keys: readonly (string | null)[]): void {
  indexOf(keys);
}

/** The first index of `positions` (ascending) holding a position >= `at`. */
export function firstAtOrAfter(positions: Int32Array, at: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
