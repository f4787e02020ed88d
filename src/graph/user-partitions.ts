/**
 * Ranges of `userPrincipalName` that split `/users` into parts Graph filters
 * on the server. Graph takes `userPrincipalName ge '…'` and `le '…'` without
 * advanced query parameters (Microsoft Graph "user resource type", property
 * table), so the ranges are read from the same index as an unfiltered read.
 *
 * Coverage does not depend on how Graph orders strings: the ranges are
 * (everything up to B1], [B1, B2], …, [Bn, everything after), which cover
 * every string of any total order in which the boundaries ascend. The
 * boundaries are lower-case Latin letters and their extensions (`l`, `le`,
 * `li`), ascending in every ordering Graph might use (ordinal, case-blind,
 * or a culture's collation). Neighbouring ranges share only the boundary
 * itself, which no user principal name can equal: it has no `@`.
 */

/** Inclusive bounds; a missing bound is open. */
export interface UpnRange {
  readonly from?: string;
  readonly to?: string;
}

/** A range with the number of users Graph counted in it. */
export interface CountedRange {
  readonly range: UpnRange;
  readonly count: number;
}

/** A run of neighbouring ranges read as one paged query. */
export interface UserPartition {
  readonly range: UpnRange;
  /** Users the counts put in it (eventually consistent: a guide for scheduling and progress, not a proof). */
  readonly expected: number;
}

/**
 * First-level boundaries: 17 ranges, about even for names in Latin script
 * (initials are far from uniform: few names start with b, q, x, many with
 * j, m, s). Uneven tenants are evened out by `refineRange`.
 */
export const FIRST_BOUNDARIES: readonly string[] = [
  "b",
  "c",
  "d",
  "e",
  "g",
  "h",
  "j",
  "k",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "t",
  "w",
];

/**
 * Letters appended to a range's lower bound to split it: [s, t] becomes
 * [s, sa], [sa, se], …, [su, t]. Each extension is above the lower bound in
 * every collation; those not below the upper bound are dropped.
 */
const REFINE_SUFFIXES: readonly string[] = ["a", "e", "i", "m", "o", "s", "u"];

/** Ranges between ascending boundaries, open at both ends. */
export function rangesBetween(boundaries: readonly string[], outer: UpnRange = {}): UpnRange[] {
  const ranges: UpnRange[] = [];
  let from = outer.from;
  for (const boundary of boundaries) {
    ranges.push({ ...(from !== undefined ? { from } : {}), to: boundary });
    from = boundary;
  }
  ranges.push({
    ...(from !== undefined ? { from } : {}),
    ...(outer.to !== undefined ? { to: outer.to } : {}),
  });
  return ranges;
}

/**
 * Splits one range into narrower ones covering exactly the same strings, or
 * returns it alone when it cannot be split further (bounds too long to
 * extend). A range open at the bottom is split below its upper bound at `a`.
 * Only extensions that lie below the upper bound are used: the bounds are
 * all lower-case Latin letters, which every ordering sorts alike.
 */
export function refineRange(range: UpnRange, maxBoundLength = 4): UpnRange[] {
  const base = range.from ?? (range.to !== undefined && range.to > "a" ? "a" : undefined);
  if (base === undefined || base.length >= maxBoundLength) return [range];
  const below = (bound: string) => range.to === undefined || bound < range.to;
  const inner = REFINE_SUFFIXES.map((suffix) => base + suffix).filter(below);
  const boundaries = range.from === undefined ? [base, ...inner] : inner;
  return boundaries.length === 0 ? [range] : rangesBetween(boundaries, range);
}

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The `$filter` selecting a range, or undefined for the whole collection. */
export function rangeFilter(range: UpnRange): string | undefined {
  const parts: string[] = [];
  if (range.from !== undefined) parts.push(`userPrincipalName ge ${quote(range.from)}`);
  if (range.to !== undefined) parts.push(`userPrincipalName le ${quote(range.to)}`);
  return parts.length === 0 ? undefined : parts.join(" and ");
}

/** A short label for progress and messages: `[l, m]`, `(…, b]`. */
export function rangeLabel(range: UpnRange): string {
  return `${range.from === undefined ? "(…" : `[${range.from}`}, ${range.to === undefined ? "…)" : `${range.to}]`}`;
}

/**
 * Joins neighbouring counted ranges into partitions of at most `target`
 * users (a range larger than that stays alone), so that a handful of
 * partitions carry few half-empty last pages. Every range lands in exactly
 * one partition, empty ones too: a count may lag behind the directory, and
 * a range left unread because its count said 0 would hide a new user.
 */
export function packRanges(counted: readonly CountedRange[], target: number): UserPartition[] {
  const partitions: UserPartition[] = [];
  let current: { from?: string; to?: string; expected: number } | undefined;
  const close = () => {
    if (!current) return;
    partitions.push({
      range: {
        ...(current.from !== undefined ? { from: current.from } : {}),
        ...(current.to !== undefined ? { to: current.to } : {}),
      },
      expected: current.expected,
    });
    current = undefined;
  };
  for (const { range, count } of counted) {
    if (current && current.expected > 0 && current.expected + count > target) close();
    if (!current) {
      current = { ...(range.from !== undefined ? { from: range.from } : {}), expected: 0 };
    }
    current.expected += count;
    if (range.to !== undefined) current.to = range.to;
    else delete current.to;
  }
  close();
  return partitions;
}

/** Users per partition that keep `concurrency` readers busy: whole pages, at least one. */
export function partitionTarget(total: number, concurrency: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, concurrency) / pageSize)) * pageSize;
}

/**
 * Neighbouring ranges within the target, as runs (each packed on its own,
 * so a partition never spans a range that is still being split), and the
 * ranges above the target, to be split further.
 */
export function splitByTarget(
  ranges: readonly CountedRange[],
  target: number,
): { runs: CountedRange[][]; large: CountedRange[] } {
  const runs: CountedRange[][] = [];
  const large: CountedRange[] = [];
  let run: CountedRange[] = [];
  for (const range of ranges) {
    if (range.count <= target) {
      run.push(range);
      continue;
    }
    if (run.length > 0) runs.push(run);
    run = [];
    large.push(range);
  }
  if (run.length > 0) runs.push(run);
  return { runs, large };
}
