import { isGuid } from "../util/guid.js";
import { GraphError, invalidGuid, missingAssignLicenseParameters } from "./errors.js";

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
 * Checks an assignLicense body as Graph does: both `addLicenses` and
 * `removeLicenses` must be present (either may be empty), and every id must
 * be a GUID.
 */
export function parseAssignRequest(body: unknown): AssignRequest {
  const payload = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
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
