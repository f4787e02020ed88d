import type { GlobalOptions } from "../cli/global-options.js";
import { createGraphClient, type GraphConnection } from "../graph/create-graph-client.js";

/**
 * Opens a Graph connection from the global options. The tenant to sign in to
 * is --tenant-id, else AZURE_TENANT_ID, else the manifests' tenant.id, so a
 * repository of manifests needs no extra configuration.
 */
export function connectToGraph(
  globals: GlobalOptions,
  env: Readonly<Record<string, string | undefined>>,
  manifestTenantId: string | undefined,
  verbose?: (line: string) => void,
): GraphConnection {
  const tenantId = globals.tenantId ?? env.AZURE_TENANT_ID ?? manifestTenantId;
  return createGraphClient({
    cloud: globals.cloud,
    auth: globals.auth,
    env,
    ...(globals.graphUrl ? { graphUrl: globals.graphUrl } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(verbose ? { verbose } : {}),
  });
}
