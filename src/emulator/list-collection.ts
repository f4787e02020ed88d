import type { FilterSubject } from "./filter.js";
import { allowOnly, pageCollection, type ODataQuery } from "./query.js";
import {
  COLLECTION_OPTIONS,
  collection,
  collectionBytes,
  odataContext,
  ok,
  type GraphResponse,
} from "./route-kit.js";
import { checkSelect } from "./serializers.js";

/** What one collection endpoint lists and how it shows each item. */
export interface CollectionSpec<T> {
  /** The entity type `$select` is checked against. */
  readonly kind: "user" | "group" | "member";
  readonly items: readonly T[];
  /** The request path, for the `@odata.nextLink`. */
  readonly pathname: string;
  /** The entity set named in `@odata.context`. */
  readonly entitySet: string;
  readonly subject: FilterSubject<T> | undefined;
  readonly toJson: (item: T) => object;
  /** The same as JSON text (`JSON.stringify(toJson(item))`), where that is faster to write or kept. */
  readonly toJsonText?: (item: T) => string;
  /** $filter needs the advanced query parameters here (relationships such as a group's members). */
  readonly filterIsAdvanced?: boolean;
}

/**
 * GET on a collection, as Graph answers it: query options checked, one page
 * filtered and sorted, items serialised, `@odata.count` and `@odata.nextLink`.
 */
export function listCollection<T>(origin: string, query: ODataQuery, spec: CollectionSpec<T>): GraphResponse {
  allowOnly(query, COLLECTION_OPTIONS);
  checkSelect(spec.kind, query.select);
  const page = pageCollection(
    spec.items,
    query,
    { origin, pathname: spec.pathname },
    spec.subject,
    spec.filterIsAdvanced ? { filterIsAdvanced: true } : {},
  );
  const context = odataContext(origin, spec.entitySet, query);
  if (spec.toJsonText)
    return ok(collectionBytes({ ...page, items: page.items.map(spec.toJsonText) }, context));
  const items = page.items.map(spec.toJson);
  return ok(collection({ ...page, items }, context));
}
