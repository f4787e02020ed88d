import type { GlobalOptions } from "../cli/global-options.js";
import { createGraphClient, type GraphConnection } from "../graph/create-graph-client.js";
import { envValue, nonBlank } from "../graph/credential-settings.js";

/**
 * Opens a Graph connection from the global options. The tenant to sign in to
 * is --tenant-id, else AZURE_TENANT_ID, else the manifests' tenant.id, so a
 * repository of manifests needs no extra configuration. A blank value counts
 * as unset: a pipeline variable that was never defined arrives as "".
 */
export function connectToGraph(
  globals: GlobalOptions,
  env: Readonly<Record<string, string | undefined>>,
  manifestTenantId: string | undefined,
  verbose?: (line: string) => void,
): GraphConnection {
  const tenantId =
    nonBlank(globals.tenantId) ?? envValue(env, "AZURE_TENANT_ID") ?? nonBlank(manifestTenantId);
  return createGraphClient({
    cloud: globals.cloud,
    auth: globals.auth,
    env,
    ...(globals.graphUrl ? { graphUrl: globals.graphUrl } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(verbose ? { verbose } : {}),
  });
}
