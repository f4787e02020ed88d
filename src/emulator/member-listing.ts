import type { FilterSubject } from "./filter.js";
import { groupSubject, userSubject } from "./filter-subjects.js";
import { listCollection } from "./list-collection.js";
import type { ODataQuery } from "./query.js";
import type { GraphResponse, RouteContext } from "./route-kit.js";
import { groupJson, isGroupProperty, userJson } from "./serializers.js";
import type { GroupRecord, UserRecord } from "./tenant-model.js";
import { keptUserTextWriter } from "./user-json-text.js";
import type { UserTextWriter } from "./user-text-cache.js";

type Member = { readonly user: UserRecord } | { readonly group: GroupRecord };

/** Properties both users and groups have, for $filter and $orderby over a mixed member list. */
function memberSubject(ctx: RouteContext): FilterSubject<Member> {
  const users = userSubject(ctx.store);
  const groups = groupSubject(ctx.store);
  const shared = ["id", "displayName", "mail"] as const;
  const properties: Record<string, (m: Member) => string | boolean | null> = {};
  for (const name of shared)
    properties[name] = (m) =>
      "user" in m ? (users.properties[name]?.(m.user) ?? null) : (groups.properties[name]?.(m.group) ?? null);
  return { resource: "DirectoryObject", properties };
}

/**
 * GET /groups/{id}/members (users and nested groups, each with its
 * `@odata.type`) or /members/microsoft.graph.group (nested groups only), as
 * Graph lists directoryObjects. $select applies to each object's own type:
 * a user-only property is left out of a group, as Graph leaves it out.
 */
export function listMembers(
  ctx: RouteContext,
  query: ODataQuery,
  group: GroupRecord,
  withUsers: boolean,
): GraphResponse {
  const { store, origin, view } = ctx;
  const nested = (group.memberGroupIds ?? []).map((id): Member => ({ group: view.group(store.group(id)) }));
  const items: Member[] = withUsers
    ? [...group.memberIds.map((id): Member => ({ user: view.user(store.findUser(id)!) })), ...nested]
    : nested;
  const groupSelect = query.select?.filter((name) => name === "*" || isGroupProperty(name));
  return listCollection(origin, query, {
    kind: withUsers ? "member" : "group",
    items,
    pathname: `/v1.0/groups/${group.id}/members${withUsers ? "" : "/microsoft.graph.group"}`,
    entitySet: withUsers ? "directoryObjects" : "groups",
    subject: memberSubject(ctx),
    filterIsAdvanced: true,
    toJson: (m) =>
      "user" in m
        ? { "@odata.type": "#microsoft.graph.user", ...userJson(m.user, store, query.select) }
        : {
            ...(withUsers ? { "@odata.type": "#microsoft.graph.group" } : {}),
            ...groupJson(m.group, store, query.select ? groupSelect : undefined),
          },
  });
}

/**
 * GET /groups/{id}/members/microsoft.graph.user: the group's users, written
 * as /users writes them (the same kept text). Without `$filter` or
 * `$orderby` the member ids themselves are paged and only the page's users
 * looked up: a group of 100,000 is read in 101 pages, and looking up every
 * member for each of them made the read quadratic in the group's size.
 */
export function listUserMembers(ctx: RouteContext, query: ODataQuery, group: GroupRecord): GraphResponse {
  const { store, origin, view } = ctx;
  const user = (id: string): UserRecord => view.user(store.findUser(id)!);
  // Resolved on the first user of a page, after listCollection has checked the $select.
  let write: UserTextWriter | undefined;
  const text = (u: UserRecord) => (write ??= keptUserTextWriter(query.select))(u, store);
  const common = {
    kind: "user",
    pathname: `/v1.0/groups/${group.id}/members/microsoft.graph.user`,
    entitySet: "users",
    filterIsAdvanced: true,
  } as const;
  if (query.params.has("$filter") || query.params.has("$orderby"))
    return listCollection(origin, query, {
      ...common,
      items: group.memberIds.map(user),
      subject: userSubject(store),
      toJson: (u) => userJson(u, store, query.select),
      toJsonText: text,
    });
  return listCollection(origin, query, {
    ...common,
    items: group.memberIds,
    subject: undefined,
    toJson: (id) => userJson(user(id), store, query.select),
    toJsonText: (id) => text(user(id)),
  });
}
