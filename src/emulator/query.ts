import { advancedQueryRequired, invalidTop, unsupportedQuery, GraphError } from "./errors.js";
import { compileFilter, type FilterSubject } from "./filter.js";
import { compileRangeFilter, firstAtOrAfter, type RangeMatch } from "./range-filter.js";

/** Graph's default page size for directory collections. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

/** The OData options of one request, as this emulator reads them. */
export interface ODataQuery {
  /** Query parameters with lower-cased names (Graph treats `$Select` like `$select`). */
  readonly params: ReadonlyMap<string, string>;
  readonly select?: readonly string[];
  readonly consistencyEventual: boolean;
}

export function readQuery(search: URLSearchParams, consistencyLevel: string | undefined): ODataQuery {
  const params = new Map<string, string>();
  for (const [k, v] of search) params.set(k.toLowerCase(), v);
  const select = params.get("$select");
  return {
    params,
    ...(select !== undefined && select.trim() !== ""
      ? {
          select: select
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    consistencyEventual: (consistencyLevel ?? "").toLowerCase() === "eventual",
  };
}

/**
 * Refuses OData options the route does not support, as Graph does, rather
 * than ignoring them (a client relying on an ignored option would be fooled).
 */
export function allowOnly(query: ODataQuery, allowed: readonly string[]): void {
  for (const name of query.params.keys()) {
    if (name.startsWith("$") && !allowed.includes(name)) {
      throw unsupportedQuery(`The query parameter '${name}' is not supported on this resource.`);
    }
  }
}

/** Properties Graph sorts directory collections by. */
const SORTABLE = ["displayName", "userPrincipalName"];

function sortBy<T>(
  items: readonly T[],
  orderBy: string,
  subject: FilterSubject<T> | undefined,
): readonly T[] {
  const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  const property = SORTABLE.find((p) => p.toLowerCase() === m?.[1]?.toLowerCase());
  const read = property ? subject?.properties[property] : undefined;
  if (!m || !read) throw unsupportedQuery("Sorting not supported for current query.");
  const sign = m[2]?.toLowerCase() === "desc" ? -1 : 1;
  const key = (item: T) => String(read(item) ?? "").toLowerCase();
  return [...items].sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
}

/** Percent-encodes a query value but keeps OData's readable delimiters, as Graph's nextLinks do. */
const encodeQueryValue = (v: string) =>
  encodeURIComponent(v)
    .replace(/%2C/gi, ",")
    .replace(/%3A/gi, ":")
    .replace(/%2F/gi, "/")
    .replace(/%24/g, "$");

/** A page of a collection and what Graph adds around it. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextLink?: string;
  readonly count?: number;
}

const encodeToken = (offset: number) => Buffer.from(`licensectl-emulator:${offset}`).toString("base64url");

function decodeToken(token: string): number {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const m = /^licensectl-emulator:(\d+)$/.exec(text);
  if (!m)
    throw new GraphError(
      400,
      "Directory_ExpiredPageToken",
      "The specified page token value has expired and can no longer be included in your request.",
    );
  return Number(m[1]);
}

/**
 * Filters (when `subject` is given), counts and pages a collection. The
 * nextLink repeats the request's own options plus a $skiptoken, on the
 * emulator's origin, as Graph's does on graph.microsoft.com.
 */
export function pageCollection<T>(
  all: readonly T[],
  query: ODataQuery,
  requestUrl: { origin: string; pathname: string },
  subject: FilterSubject<T> | undefined,
  options: { readonly filterIsAdvanced?: boolean } = {},
): Page<T> {
  // Without ConsistencyLevel: eventual, Graph "silently ignores the $count query parameter" (Advanced query
  // capabilities on Microsoft Entra ID objects, "Error handling"): no @odata.count, no error.
  const wantsCount = query.params.get("$count")?.toLowerCase() === "true" && query.consistencyEventual;
  const advanced = wantsCount;
  const topText = query.params.get("$top");
  let top = DEFAULT_PAGE_SIZE;
  if (topText !== undefined) {
    const n = Number(topText);
    if (!/^\d+$/.test(topText.trim()) || n < 1 || n > MAX_PAGE_SIZE) throw invalidTop(topText);
    top = n;
  }
  const filterText = query.params.get("$filter");
  let matches: ((position: number) => boolean) | undefined;
  let range: RangeMatch | undefined;
  if (filterText !== undefined) {
    if (!subject) throw unsupportedQuery("The query parameter '$filter' is not supported on this resource.");
    // $filter on a relationship such as a group's members is an advanced query.
    if (options.filterIsAdvanced && !advanced) throw advancedQueryRequired("$filter");
    const test = compileFilter(filterText, subject, advanced);
    range = compileRangeFilter(filterText, subject);
    matches = (position) => test(all[position]!);
  }
  const orderBy = query.params.get("$orderby");
  // "Using $filter and $orderby together is supported only with advanced queries."
  if (orderBy !== undefined && filterText !== undefined && !advanced)
    throw unsupportedQuery("Sorting not supported for current query.");
  const token = query.params.get("$skiptoken");
  const offset = token === undefined ? 0 : decodeToken(token);
  const nextLinkAt = (position: number) => {
    const params: string[] = [];
    for (const [k, v] of query.params) if (k !== "$skiptoken") params.push(`${k}=${encodeQueryValue(v)}`);
    params.push(`$skiptoken=${encodeToken(position)}`);
    return `${requestUrl.origin}${requestUrl.pathname}?${params.join("&")}`;
  };
  if (orderBy === undefined && range !== undefined)
    return rangePage(all, range, offset, top, wantsCount, nextLinkAt);
  if (orderBy === undefined && matches !== undefined && !wantsCount) {
    // A filtered page without sorting resumes the scan where the last page stopped (the token is a
    // position in the whole collection, as a cursor is): a partitioned read of a large tenant
    // costs one pass over it per range, not one per page.
    const slice: T[] = [];
    let at = offset;
    for (; at < all.length; at += 1) {
      if (!matches(at)) continue;
      if (slice.length === top) break;
      slice.push(all[at]!);
    }
    return { items: slice, ...(at < all.length ? { nextLink: nextLinkAt(at) } : {}) };
  }
  if (orderBy === undefined && matches !== undefined && top === 1 && offset === 0) {
    // A count with $top=1 (how a partitioned read sizes its ranges): count, keep only the first match.
    let count = 0;
    let first: T | undefined;
    for (let at = 0; at < all.length; at += 1) {
      if (!matches(at)) continue;
      if (count === 0) first = all[at];
      count += 1;
    }
    const items = first === undefined ? [] : [first];
    return { items, ...(count > 1 ? { nextLink: nextLinkAt(1) } : {}), ...(wantsCount ? { count } : {}) };
  }
  let items = matches === undefined ? all : all.filter((_, position) => matches(position));
  if (orderBy !== undefined) items = sortBy(items, orderBy, subject);
  const slice = items.slice(offset, offset + top);
  const nextLink = offset + top < items.length ? nextLinkAt(offset + top) : undefined;
  return { items: slice, ...(nextLink ? { nextLink } : {}), ...(wantsCount ? { count: items.length } : {}) };
}

/**
 * A page of a `ge`/`le` range, from the range's positions: the same items,
 * nextLinks and counts as the scans above, without reading the collection.
 * Without a count the token is a position in the whole collection (a
 * cursor, as a scan resumes); with one, an index into the matches.
 */
function rangePage<T>(
  all: readonly T[],
  range: RangeMatch,
  offset: number,
  top: number,
  wantsCount: boolean,
  nextLinkAt: (position: number) => string,
): Page<T> {
  if (wantsCount && offset === 0 && top === 1) {
    // How a partitioned read sizes its ranges: the count, and only the first item.
    const first = range.first();
    const items = first === undefined ? [] : [all[first]!];
    return { items, ...(range.count > 1 ? { nextLink: nextLinkAt(1) } : {}), count: range.count };
  }
  const positions = range.positions();
  const start = wantsCount ? offset : firstAtOrAfter(positions, offset);
  const end = Math.min(positions.length, start + top);
  const items: T[] = [];
  for (let i = start; i < end; i += 1) items.push(all[positions[i]!]!);
  const more = end < positions.length;
  const next = wantsCount ? end : positions[end]!;
  return {
    items,
    ...(more ? { nextLink: nextLinkAt(next) } : {}),
    ...(wantsCount ? { count: range.count } : {}),
  };
}
