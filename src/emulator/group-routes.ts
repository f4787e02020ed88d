import { parseAssignRequest } from "./assign-request.js";
import { notSecurityEnabled, segmentNotFound } from "./errors.js";
import { groupSubject, userSubject } from "./filter-subjects.js";
import { listCollection } from "./list-collection.js";
import { listMembers, listUserMembers } from "./member-listing.js";
import { allowOnly } from "./query.js";
import { odataContext, ok, route, type MatchedRoute, type RouteInput } from "./route-kit.js";
import { checkSelect, groupJson, userJson } from "./serializers.js";
import type { UserRecord } from "./tenant-model.js";

/** /groups, /groups/{id}, its members and licensing. */
export function groupRoute({ ctx, req, query, id, sub, cast }: RouteInput): MatchedRoute {
  const { store, origin, view } = ctx;
  const members = (list: readonly UserRecord[], pathname: string) =>
    listCollection(origin, query, {
      kind: "user",
      items: list,
      pathname,
      entitySet: "directoryObjects",
      subject: userSubject(store),
      toJson: (u) => ({ "@odata.type": "#microsoft.graph.user", ...userJson(u, store, query.select) }),
    });
  if (id === undefined)
    return route(req, "/groups", {
      GET: {
        run: () =>
          listCollection(origin, query, {
            kind: "group",
            items: view.active ? store.groups.map((g) => view.group(g)) : store.groups,
            pathname: "/v1.0/groups",
            entitySet: "groups",
            subject: groupSubject(store),
            toJson: (g) => groupJson(g, store, query.select),
          }),
      },
    });
  if (sub === undefined)
    return route(req, "/groups/{id}", {
      GET: {
        run: () => {
          allowOnly(query, ["$select"]);
          checkSelect("group", query.select);
          const group = view.group(store.group(id));
          return ok({
            "@odata.context": odataContext(origin, "groups", query, "/$entity"),
            ...groupJson(group, store, query.select),
          });
        },
      },
    });
  if (sub === "members" && cast === "microsoft.graph.user")
    return route(req, "/groups/{id}/members/microsoft.graph.user", {
      GET: {
        run: () => listUserMembers(ctx, query, store.group(id)),
      },
    });
  if (sub === "members" && (cast === undefined || cast === "microsoft.graph.group"))
    return route(req, cast ? "/groups/{id}/members/microsoft.graph.group" : "/groups/{id}/members", {
      GET: { run: () => listMembers(ctx, query, store.group(id), cast === undefined) },
    });
  if (cast !== undefined) throw segmentNotFound(cast);
  switch (sub) {
    case "membersWithLicenseErrors":
      return route(req, "/groups/{id}/membersWithLicenseErrors", {
        GET: {
          run: () => {
            const group = store.group(id);
            return members(
              store.membersWithLicenseErrors(group).map((u) => view.user(u)),
              `/v1.0/groups/${group.id}/membersWithLicenseErrors`,
            );
          },
        },
      });
    case "assignLicense":
      return route(req, "/groups/{id}/assignLicense", {
        POST: {
          write: true,
          run: () => {
            const group = store.group(id);
            const request = parseAssignRequest(req.body, req.headers["content-type"]);
            if (!group.securityEnabled) throw notSecurityEnabled(group.id);
            store.assignGroupLicenses(group, request);
            ctx.processor.enqueue(group);
            // Graph answers with a Location on its internal v2 directory endpoint.
            const location = `${origin}/v2/${store.data.tenant.id}/directoryObjects/${group.id}/Microsoft.DirectoryServices.Group`;
            const body = {
              "@odata.context": odataContext(origin, "groups", query, "/$entity"),
              ...groupJson(group, store),
            };
            return ok(body, 202, { Location: location });
          },
        },
      });
    default:
      throw segmentNotFound(sub);
  }
}
