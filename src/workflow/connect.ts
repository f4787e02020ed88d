import type { CloudName } from "../graph/clouds.js";
import { createGraphClient, type GraphConnection } from "../graph/create-graph-client.js";
import { envValue, nonBlank, type AuthMethod } from "../graph/credential-settings.js";

/** Where and how to reach Graph: the CLI's global options, or a program's own. */
export interface ConnectionSettings {
  readonly tenantId?: string;
  readonly cloud: CloudName;
  /** A Graph root other than the cloud's own, e.g. the emulator's http://127.0.0.1:5555. */
  readonly graphUrl?: string;
  readonly auth: AuthMethod;
}

/**
 * Opens a Graph connection from the global options. The tenant to sign in to
 * is --tenant-id, else AZURE_TENANT_ID, else the manifests' tenant.id, so a
 * repository of manifests needs no extra configuration. A blank value counts
 * as unset: a pipeline variable that was never defined arrives as "".
 */
export function connectToGraph(
  globals: ConnectionSettings,
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
