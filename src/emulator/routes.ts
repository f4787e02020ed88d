import { segmentNotFound } from "./errors.js";
import { groupRoute } from "./group-routes.js";
import { allowOnly, readQuery } from "./query.js";
import {
  odataContext,
  ok,
  route,
  type GraphRequest,
  type MatchedRoute,
  type RouteContext,
} from "./route-kit.js";
import { checkPlainSelect, organizationJson, selectFrom, skuJson } from "./serializers.js";
import { requirePermission } from "./permissions.js";
import { subscriptionJson } from "./subscriptions.js";
import { userRoute } from "./user-routes.js";

export type { GraphRequest, GraphResponse, MatchedRoute, RouteContext } from "./route-kit.js";

/**
 * Matches a request to the licensing surface. Throws Graph's 400 for a path
 * it does not serve and 405 for a method a path does not take.
 */
export function matchRoute(ctx: RouteContext, req: GraphRequest): MatchedRoute {
  const { store, origin, view } = ctx;
  const segments = req.path
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw segmentNotFound(segment);
      }
    });
  const query = readQuery(req.search, req.headers["consistencylevel"]);
  const [root, id, sub, cast, ...rest] = segments;
  if (rest.length > 0) throw segmentNotFound(rest[0]!);
  const input = { ctx, req, query, id, sub, cast };
  switch (root) {
    case "users":
      return userRoute(input);
    case "groups":
      return groupRoute(input);
    case "organization":
      if (id !== undefined) throw segmentNotFound(id);
      return route(req, "/organization", {
        GET: {
          run: () => {
            allowOnly(query, ["$select"]);
            checkPlainSelect("organization", query.select);
            const value = [selectFrom(organizationJson(store.data.tenant), query.select)];
            return ok({ "@odata.context": odataContext(origin, "organization", query), value });
          },
        },
      });
    case "subscribedSkus":
      if (id !== undefined) throw segmentNotFound(id);
      return route(req, "/subscribedSkus", {
        GET: {
          run: () => {
            allowOnly(query, ["$select"]);
            checkPlainSelect("subscribedSku", query.select);
            const value = store.data.skus.map((s) =>
              selectFrom(skuJson(view.sku(s), store.data.tenant), query.select),
            );
            return ok({ "@odata.context": odataContext(origin, "subscribedSkus", query), value });
          },
        },
      });
    case "directory":
      // Only /directory/subscriptions (companySubscription) of the directory is served.
      if (id !== "subscriptions") throw segmentNotFound(id ?? root);
      if (sub !== undefined) throw segmentNotFound(sub);
      return route(req, "/directory/subscriptions", {
        GET: {
          run: () => {
            requirePermission(store.data.tenant, "Organization.Read.All");
            allowOnly(query, ["$select"]);
            checkPlainSelect("companySubscription", query.select);
            const skus = new Map(store.data.skus.map((s) => [s.skuId, s]));
            const value = (store.data.subscriptions ?? []).map((s) =>
              selectFrom(subscriptionJson(s, skus.get(s.skuId), store.data.tenant), query.select),
            );
            return ok({ "@odata.context": odataContext(origin, "directory/subscriptions", query), value });
          },
        },
      });
    default:
      throw segmentNotFound(root ?? "");
  }
}
