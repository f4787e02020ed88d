import { AzureAuthorityHosts } from "@azure/identity";

/** The national clouds licensectl can sign in to and read. */
export const CLOUDS = ["global", "usgov", "usgovdod", "china"] as const;
/** One of CLOUDS. */
export type CloudName = (typeof CLOUDS)[number];

/** Where one national cloud serves Microsoft Graph and issues its tokens. */
export interface CloudEndpoints {
  readonly name: CloudName;
  /** Graph root without version, e.g. `https://graph.microsoft.com`. */
  readonly graphRoot: string;
  /** Token authority host for @azure/identity. */
  readonly authorityHost: string;
}

/** Graph roots and authorities per cloud (Microsoft Graph national cloud deployments: https://learn.microsoft.com/graph/deployments). GCC moderate uses the global cloud. */
export const CLOUD_ENDPOINTS: Readonly<Record<CloudName, CloudEndpoints>> = {
  global: {
    name: "global",
    graphRoot: "https://graph.microsoft.com",
    authorityHost: AzureAuthorityHosts.AzurePublicCloud,
  },
  usgov: {
    name: "usgov",
    graphRoot: "https://graph.microsoft.us",
    authorityHost: AzureAuthorityHosts.AzureGovernment,
  },
  usgovdod: {
    name: "usgovdod",
    graphRoot: "https://dod-graph.microsoft.us",
    authorityHost: AzureAuthorityHosts.AzureGovernment,
  },
  china: {
    name: "china",
    graphRoot: "https://microsoftgraph.chinacloudapi.cn",
    authorityHost: AzureAuthorityHosts.AzureChina,
  },
};

/** The token scope for a Graph root: app permissions granted to the app registration. */
export function graphScope(graphRoot: string): string {
  return `${graphRoot}/.default`;
}

/** The cloud whose Graph root is exactly `root`, if any. */
export function cloudOfGraphRoot(root: string): CloudEndpoints | undefined {
  return Object.values(CLOUD_ENDPOINTS).find((cloud) => cloud.graphRoot === root);
}
