import { isCountryCode } from "../manifest/country-codes.js";
import { GraphError } from "./errors.js";
import type { TenantStore } from "./tenant-store.js";
import type { UserRecord } from "./tenant-model.js";

const invalidValue = (name: string) =>
  new GraphError(
    400,
    "Request_BadRequest",
    `Invalid value specified for property '${name}' of resource 'User'.`,
  );

/**
 * PATCH /users/{id}: usageLocation (a two-letter code or null), displayName,
 * accountEnabled and userPrincipalName (a rename: `local@domain`, unique in
 * the tenant). The whole body is checked before anything changes.
 */
export function patchUser(store: TenantStore, user: UserRecord, body: unknown): void {
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
      if (value !== null && typeof value !== "string") throw invalidValue(name);
      // Graph takes ISO 3166-1 alpha-2 codes only ("ZZ" or "USA" are refused). Its exact wording for the
      // refusal is not documented; this is the message seen from the directory for an unknown code.
      if (typeof value === "string" && !isCountryCode(value.toUpperCase()))
        throw new GraphError(400, "Request_BadRequest", "Property usageLocation is invalid.");
    } else if (name === "displayName") {
      if (typeof value !== "string" || value.trim() === "") throw invalidValue(name);
    } else if (name === "accountEnabled") {
      if (typeof value !== "boolean") throw invalidValue(name);
    } else if (name === "userPrincipalName") {
      if (typeof value !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) throw invalidValue(name);
      const holder = store.findUser(value);
      if (holder !== undefined && holder !== user)
        throw new GraphError(
          400,
          "Request_BadRequest",
          "Another object with the same value for property userPrincipalName already exists.",
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
  if (
    typeof patch.displayName === "string" ||
    typeof patch.accountEnabled === "boolean" ||
    typeof patch.userPrincipalName === "string"
  )
    store.beforeChange(user);
  if (typeof patch.userPrincipalName === "string") store.renameUser(user, patch.userPrincipalName);
  if ("usageLocation" in patch)
    store.setUsageLocation(
      user,
      typeof patch.usageLocation === "string" ? patch.usageLocation.toUpperCase() : null,
    );
  if (typeof patch.displayName === "string") user.displayName = patch.displayName;
  if (typeof patch.accountEnabled === "boolean") user.accountEnabled = patch.accountEnabled;
}
