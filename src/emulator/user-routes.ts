import { parseAssignRequest } from "./assign-request.js";
import { countNotSupported, segmentNotFound, signInActivityNeedsPremium } from "./errors.js";
import { requirePermission } from "./permissions.js";
import type { TenantStore } from "./tenant-store.js";
import { storeUserSubject, userSubject } from "./filter-subjects.js";
import { compileFilter } from "./filter.js";
import { compileRangeFilter } from "./range-filter.js";
import { listCollection } from "./list-collection.js";
import { allowOnly } from "./query.js";
import { odataContext, ok, route, type MatchedRoute, type RouteInput } from "./route-kit.js";
import { checkPlainSelect, checkSelect, licenseDetailsJson, selectFrom, userJson } from "./serializers.js";
import type { UserRecord } from "./tenant-model.js";
import { keptUserTextWriter } from "./user-json-text.js";
import { keptPage } from "./page-cache.js";
import { patchUser } from "./user-patch.js";
import type { UserTextWriter } from "./user-text-cache.js";

/** /users, /users/{id|upn} and its licensing actions and navigations. */
export function userRoute({ ctx, req, query, id, sub, cast }: RouteInput): MatchedRoute {
  const { store, origin, view } = ctx;
  const users = () => (view.active ? store.users.map((u) => view.user(u)) : store.users);
  // A lagged view may show older names than the store's keys: it filters item by item.
  const subject = () => (view.active ? userSubject(store) : storeUserSubject(store));
  const entity = (user: Parameters<typeof userJson>[0], select?: readonly string[]) =>
    ok({
      "@odata.context": odataContext(origin, "users", query, "/$entity"),
      ...userJson(user, store, select),
    });
  // Resolved on the first user of a page, after the query options are checked.
  let writeUser: UserTextWriter | undefined;
  if (cast !== undefined) throw segmentNotFound(cast);
  if (id === undefined)
    return route(req, "/users", {
      GET: {
        run: () => {
          refuseSignInActivity(store, query.select);
          const page = () =>
            listCollection(origin, query, {
              kind: "user",
              items: users(),
              pathname: "/v1.0/users",
              entitySet: "users",
              subject: subject(),
              toJson: (u) => userJson(u, store, query.select),
              toJsonText: (u: UserRecord) => (writeUser ??= keptUserTextWriter(query.select))(u, store),
            });
          // A lagged view answers from versions picked at random: nothing to keep.
          if (!ctx.keepPages || view.active) return page();
          return keptPage(store, `${origin} ${query.consistencyEventual} ${req.search.toString()}`, page);
        },
      },
    });
  if (id === "$count" && sub === undefined)
    return route(req, "/users/$count", {
      GET: {
        run: () => {
          if (!query.consistencyEventual) throw countNotSupported();
          allowOnly(query, ["$filter"]);
          const filter = query.params.get("$filter");
          const all = users();
          let count = all.length;
          if (filter !== undefined) {
            // The $count segment is itself an advanced query, so advanced filter operators are allowed.
            const test = compileFilter(filter, subject(), true);
            const range = compileRangeFilter(filter, subject());
            if (range !== undefined) count = range.count;
            else {
              count = 0;
              for (let at = 0; at < all.length; at += 1) if (test(all[at]!)) count += 1;
            }
          }
          return { status: 200, headers: { "Content-Type": "text/plain" }, body: count };
        },
      },
    });
  if (sub === undefined)
    return route(req, "/users/{id}", {
      GET: {
        run: () => {
          allowOnly(query, ["$select"]);
          checkSelect("user", query.select);
          refuseSignInActivity(store, query.select);
          return entity(view.user(store.user(id)), query.select);
        },
      },
      PATCH: {
        write: true,
        run: () => {
          patchUser(store, store.user(id), req.body);
          return { status: 204, headers: {} };
        },
      },
    });
  switch (sub) {
    case "licenseDetails":
      return route(req, "/users/{id}/licenseDetails", {
        GET: {
          run: () => {
            allowOnly(query, ["$select"]);
            checkPlainSelect("licenseDetails", query.select);
            const user = view.user(store.user(id));
            const value = licenseDetailsJson(user, store).map((d) => selectFrom(d, query.select));
            return ok({
              "@odata.context": `${origin}/v1.0/$metadata#users('${user.id}')/licenseDetails`,
              value,
            });
          },
        },
      });
    case "assignLicense":
      return route(req, "/users/{id}/assignLicense", {
        POST: {
          write: true,
          run: () => {
            const user = store.user(id);
            store.assignUserLicenses(user, parseAssignRequest(req.body, req.headers["content-type"]));
            return entity(user);
          },
        },
      });
    case "reprocessLicenseAssignment":
      return route(req, "/users/{id}/reprocessLicenseAssignment", {
        POST: {
          write: true,
          run: () => {
            const user = store.user(id);
            store.reprocessUser(user);
            return entity(user);
          },
        },
      });
    default:
      throw segmentNotFound(sub);
  }
}

/**
 * signInActivity needs AuditLog.Read.All and Microsoft Entra ID P1 or P2 in
 * the tenant; Graph refuses the whole request without either.
 */
function refuseSignInActivity(store: TenantStore, select: readonly string[] | undefined): void {
  if (!select?.some((name) => name.toLowerCase() === "signinactivity")) return;
  requirePermission(store.data.tenant, "AuditLog.Read.All");
  if (store.data.tenant.premium === false) throw signInActivityNeedsPremium();
}
