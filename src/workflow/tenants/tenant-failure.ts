import { isLicensectlError } from "../../model/errors.js";
import type { TenantFailure } from "../../model/tenant-run.js";

/** A tenant's error as data for its entry; anything not a LicensectlError is a defect, and says so. */
export function tenantFailure(error: unknown): TenantFailure {
  if (isLicensectlError(error))
    return {
      code: error.code,
      message: error.message,
      ...(error.hint !== undefined ? { hint: error.hint } : {}),
      problems: error.problems,
    };
  return {
    code: "internal-error",
    message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
    hint: "This is a bug in licensectl; please report it with the --verbose output.",
    problems: [],
  };
}

/**
 * The environment a tenant signs in with: the same app (AZURE_CLIENT_ID and
 * its secret, certificate or federated token) but never AZURE_TENANT_ID, so
 * that each tenant's credential is made for the tenant its manifests name.
 */
export function envForTenants(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const { AZURE_TENANT_ID: _ignored, ...rest } = env;
  return rest;
}
