import { isGuid } from "../util/guid.js";
import {
  GraphError,
  invalidGuid,
  missingAssignLicenseParameters,
  unknownActionParameter,
  unreadablePayload,
} from "./errors.js";

/** A validated assignLicense body; GUIDs lower-cased. */
export interface AssignRequest {
  readonly add: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
  readonly remove: readonly string[];
}

const guid = (value: unknown): string => {
  if (typeof value !== "string" || !isGuid(value)) throw invalidGuid();
  return value.toLowerCase();
};

/**
 * Checks an assignLicense request as Graph does: a JSON body (by its
 * Content-Type) with exactly `addLicenses` and `removeLicenses` (either may
 * be empty, neither may be missing), and every id a GUID.
 */
export function parseAssignRequest(body: unknown, contentType: string | undefined): AssignRequest {
  // Graph reads action parameters only from a JSON body; without Content-Type: application/json it cannot.
  if (!/^application\/json\b/i.test((contentType ?? "").trim())) throw unreadablePayload();
  const payload = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  for (const name of Object.keys(payload))
    if (name !== "addLicenses" && name !== "removeLicenses")
      throw unknownActionParameter(name, "assignLicense");
  const missing = ["addLicenses", "removeLicenses"].filter(
    (k) => payload[k] === undefined || payload[k] === null,
  );
  if (missing.length > 0) throw missingAssignLicenseParameters(missing);
  const { addLicenses, removeLicenses } = payload;
  if (!Array.isArray(addLicenses) || !Array.isArray(removeLicenses)) {
    throw new GraphError(
      400,
      "BadRequest",
      "The parameters 'addLicenses' and 'removeLicenses' must be collections.",
    );
  }
  const add = addLicenses.map((entry: unknown) => {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const disabled = e.disabledPlans ?? [];
    if (!Array.isArray(disabled)) throw invalidGuid();
    return { skuId: guid(e.skuId), disabledPlans: [...new Set(disabled.map(guid))] };
  });
  return { add, remove: removeLicenses.map(guid) };
}
