import { parseAssignRequest } from "./assign-request.js";
import { GraphError, methodNotAllowed, segmentNotFound } from "./errors.js";
import type { FilterSubject } from "./filter.js";
import type { GroupProcessor } from "./group-processing.js";
import { allowOnly, pageCollection, readQuery, type ODataQuery } from "./query.js";
import {
  checkSelect,
  groupJson,
  licenseDetailsJson,
  organizationJson,
  selectFrom,
  skuJson,
  userJson,
} from "./serializers.js";
import type { TenantStore } from "./tenant-store.js";
import type { GroupRecord, UserRecord } from "./tenant-model.js";

/** What routes need from the running emulator. */
export interface RouteContext {
  readonly store: TenantStore;
  readonly processor: GroupProcessor;
  /** The emulator's origin, e.g. http://127.0.0.1:5555 (for nextLink, Location, @odata.context). */
  readonly origin: string;
}

/** One Graph request, from HTTP or from inside a $batch. `path` is relative to /v1.0. */
export interface GraphRequest {
  readonly method: string;
  readonly path: string;
  readonly search: URLSearchParams;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

export interface GraphResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A request matched to a route: its counter key (e.g. "POST /users/{id}/assignLicense"), whether it writes, and its handler. */
export interface MatchedRoute {
  readonly key: string;
  readonly write: boolean;
  run(): GraphResponse;
}

export const JSON_CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

const ok = (body: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse => ({
  status,
  headers: { "Content-Type": JSON_CONTENT_TYPE, ...headers },
  body,
});

const userSubject = (store: TenantStore): FilterSubject<UserRecord> => ({
  resource: "User",
  properties: {
    id: (u) => u.id,
    userPrincipalName: (u) => u.userPrincipalName,
    displayName: (u) => u.displayName,
    givenName: (u) => u.givenName,
    surname: (u) => u.surname,
    mail: (u) => u.mail,
    usageLocation: (u) => u.usageLocation,
    accountEnabled: (u) => u.accountEnabled,
  },
  skuIds: (u) => store.assignedLicenses(u).map((l) => l.skuId),
});

const groupSubject = (store: TenantStore): FilterSubject<GroupRecord> => ({
  resource: "Group",
  properties: {
    id: (g) => g.id,
    displayName: (g) => g.displayName,
    mailNickname: (g) => g.mailNickname,
    securityEnabled: (g) => g.securityEnabled,
  },
  skuIds: (g) => g.licenses.map((l) => l.skuId),
  hasMembersWithLicenseErrors: (g) => store.hasMembersWithLicenseErrors(g),
});

const COLLECTION_OPTIONS = ["$select", "$filter", "$top", "$count", "$skiptoken", "$orderby"];

function context(origin: string, entitySet: string, query: ODataQuery, suffix = ""): string {
  const select = query.select && !query.select.includes("*") ? `(${query.select.join(",")})` : "";
  return `${origin}/v1.0/$metadata#${entitySet}${select}${suffix}`;
}

function collection(
  page: { items: readonly unknown[]; nextLink?: string; count?: number },
  odataContext: string,
) {
  return {
    "@odata.context": odataContext,
    ...(page.count !== undefined ? { "@odata.count": page.count } : {}),
    ...(page.nextLink ? { "@odata.nextLink": page.nextLink } : {}),
    value: page.items,
  };
}

function usageLocationPatch(ctx: RouteContext, user: UserRecord, body: unknown): GraphResponse {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new GraphError(400, "BadRequest", "Empty Payload. JSON content expected.");
  const patch = body as Record<string, unknown>;
  for (const [name, value] of Object.entries(patch)) {
    if (name === "usageLocation") {
      if (value !== null && typeof value === "object")
        throw new GraphError(
          400,
          "BadRequest",
          "StartObject node found for usageLocation, PrimitiveValue expected",
        );
      if (value !== null && (typeof value !== "string" || !/^[A-Za-z]{2}$/.test(value)))
        throw new GraphError(
          400,
          "Request_BadRequest",
          "Invalid value specified for property 'usageLocation' of resource 'User'.",
        );
    } else if (name === "displayName") {
      if (typeof value !== "string" || value.trim() === "")
        throw new GraphError(
          400,
          "Request_BadRequest",
          "Invalid value specified for property 'displayName' of resource 'User'.",
        );
    } else if (name === "accountEnabled") {
      if (typeof value !== "boolean")
        throw new GraphError(
          400,
          "Request_BadRequest",
          "Invalid value specified for property 'accountEnabled' of resource 'User'.",
        );
    } else if (name === "assignedLicenses" || name === "licenseAssignmentStates") {
      throw new GraphError(400, "Request_BadRequest", `Property '${name}' is read-only and cannot be set.`);
    } else {
      throw new GraphError(
        400,
        "BadRequest",
        `Property '${name}' does not exist on type 'microsoft.graph.user'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
  }
  if ("usageLocation" in patch)
    ctx.store.setUsageLocation(
      user,
      typeof patch.usageLocation === "string" ? patch.usageLocation.toUpperCase() : null,
    );
  if (typeof patch.displayName === "string") user.displayName = patch.displayName;
  if (typeof patch.accountEnabled === "boolean") user.accountEnabled = patch.accountEnabled;
  return { status: 204, headers: {} };
}

/**
 * Matches a request to the licensing surface. Throws Graph's 400 for a path
 * it does not serve and 405 for a method a path does not take.
 */
export function matchRoute(ctx: RouteContext, req: GraphRequest): MatchedRoute {
  const { store, origin } = ctx;
  const segments = req.path.split("/").filter(Boolean).map(decodeURIComponent);
  const query = readQuery(req.search, req.headers["consistencylevel"]);
  const method = req.method.toUpperCase();
  const route = (
    template: string,
    methods: Record<string, { write?: boolean; run: () => GraphResponse }>,
  ): MatchedRoute => {
    const handler = methods[method];
    if (!handler) throw methodNotAllowed();
    return { key: `${method} ${template}`, write: handler.write ?? false, run: handler.run };
  };
  const [root, id, sub, cast, ...rest] = segments;
  if (rest.length > 0) throw segmentNotFound(rest[0]!);
  const users = () => {
    allowOnly(query, COLLECTION_OPTIONS);
    checkSelect("user", query.select);
    const page = pageCollection(store.users, query, { origin, pathname: "/v1.0/users" }, userSubject(store));
    return ok(
      collection(
        { ...page, items: page.items.map((u) => userJson(u, store, query.select)) },
        context(origin, "users", query),
      ),
    );
  };
  const members = (list: readonly UserRecord[], typed: boolean, pathname: string) => {
    allowOnly(query, COLLECTION_OPTIONS);
    checkSelect("user", query.select);
    const page = pageCollection(list, query, { origin, pathname }, userSubject(store));
    const items = page.items.map((u) => ({
      ...(typed ? { "@odata.type": "#microsoft.graph.user" } : {}),
      ...userJson(u, store, query.select),
    }));
    return ok(collection({ ...page, items }, context(origin, typed ? "directoryObjects" : "users", query)));
  };

  switch (root) {
    case "organization":
      if (id !== undefined) throw segmentNotFound(id);
      return route("/organization", {
        GET: {
          run: () => {
            allowOnly(query, ["$select"]);
            return ok({
              "@odata.context": context(origin, "organization", query),
              value: [selectFrom(organizationJson(store.data.tenant), query.select)],
            });
          },
        },
      });
    case "subscribedSkus":
      if (id !== undefined) throw segmentNotFound(id);
      return route("/subscribedSkus", {
        GET: {
          run: () => {
            allowOnly(query, ["$select"]);
            const value = store.data.skus.map((s) => selectFrom(skuJson(s, store.data.tenant), query.select));
            return ok({ "@odata.context": context(origin, "subscribedSkus", query), value });
          },
        },
      });
    case "users":
      if (id === undefined) return route("/users", { GET: { run: users } });
      if (sub === undefined)
        return route("/users/{id}", {
          GET: {
            run: () => {
              allowOnly(query, ["$select"]);
              const user = store.user(id);
              return ok({
                "@odata.context": context(origin, "users", query, "/$entity"),
                ...userJson(user, store, query.select),
              });
            },
          },
          PATCH: { write: true, run: () => usageLocationPatch(ctx, store.user(id), req.body) },
        });
      if (cast !== undefined) throw segmentNotFound(cast);
      if (sub === "licenseDetails")
        return route("/users/{id}/licenseDetails", {
          GET: {
            run: () => {
              allowOnly(query, ["$select"]);
              const user = store.user(id);
              const value = licenseDetailsJson(user, store).map((d) => selectFrom(d, query.select));
              return ok({
                "@odata.context": `${origin}/v1.0/$metadata#users('${user.id}')/licenseDetails`,
                value,
              });
            },
          },
        });
      if (sub === "assignLicense")
        return route("/users/{id}/assignLicense", {
          POST: {
            write: true,
            run: () => {
              const user = store.user(id);
              store.assignUserLicenses(user, parseAssignRequest(req.body));
              return ok({
                "@odata.context": context(origin, "users", query, "/$entity"),
                ...userJson(user, store),
              });
            },
          },
        });
      if (sub === "reprocessLicenseAssignment")
        return route("/users/{id}/reprocessLicenseAssignment", {
          POST: {
            write: true,
            run: () => {
              const user = store.user(id);
              store.reprocessUser(user);
              return ok({
                "@odata.context": context(origin, "users", query, "/$entity"),
                ...userJson(user, store),
              });
            },
          },
        });
      throw segmentNotFound(sub);
    case "groups":
      if (id === undefined)
        return route("/groups", {
          GET: {
            run: () => {
              allowOnly(query, COLLECTION_OPTIONS);
              checkSelect("group", query.select);
              const page = pageCollection(
                store.groups,
                query,
                { origin, pathname: "/v1.0/groups" },
                groupSubject(store),
              );
              return ok(
                collection(
                  { ...page, items: page.items.map((g) => groupJson(g, store, query.select)) },
                  context(origin, "groups", query),
                ),
              );
            },
          },
        });
      if (sub === undefined)
        return route("/groups/{id}", {
          GET: {
            run: () => {
              allowOnly(query, ["$select"]);
              checkSelect("group", query.select);
              const group = store.group(id);
              return ok({
                "@odata.context": context(origin, "groups", query, "/$entity"),
                ...groupJson(group, store, query.select),
              });
            },
          },
        });
      if (sub === "members" && (cast === undefined || cast === "microsoft.graph.user"))
        return route(cast ? "/groups/{id}/members/microsoft.graph.user" : "/groups/{id}/members", {
          GET: {
            run: () => {
              const group = store.group(id);
              const list = group.memberIds.map((m) => store.findUser(m)!);
              return members(
                list,
                cast === undefined,
                `/v1.0/groups/${group.id}/members${cast ? `/${cast}` : ""}`,
              );
            },
          },
        });
      if (cast !== undefined) throw segmentNotFound(cast);
      if (sub === "membersWithLicenseErrors")
        return route("/groups/{id}/membersWithLicenseErrors", {
          GET: {
            run: () => {
              const group = store.group(id);
              return members(
                store.membersWithLicenseErrors(group),
                true,
                `/v1.0/groups/${group.id}/membersWithLicenseErrors`,
              );
            },
          },
        });
      if (sub === "assignLicense")
        return route("/groups/{id}/assignLicense", {
          POST: {
            write: true,
            run: () => {
              const group = store.group(id);
              store.assignGroupLicenses(group, parseAssignRequest(req.body));
              ctx.processor.enqueue(group);
              const location = `${origin}/v2/${store.data.tenant.id}/directoryObjects/${group.id}/Microsoft.DirectoryServices.Group`;
              return ok(
                {
                  "@odata.context": context(origin, "groups", query, "/$entity"),
                  ...groupJson(group, store),
                },
                202,
                { Location: location },
              );
            },
          },
        });
      throw segmentNotFound(sub);
    default:
      throw segmentNotFound(root ?? "");
  }
}
