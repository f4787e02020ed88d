/**
 * Microsoft Graph access: the only part of licensectl that reaches the
 * network. Build a connection, read the tenant, write through batches.
 */
export {
  createGraphClient,
  type GraphConnection,
  type GraphConnectionOptions,
  type GraphHttpRequest,
  type GraphHttpResponse,
} from "./create-graph-client.js";
export {
  readLiveState,
  DEFAULT_READ_CONCURRENCY,
  PAGE_SIZE,
  USER_SELECT,
  GROUP_SELECT,
  type ReadLiveStateOptions,
  type ReadProgressEvent,
} from "./read-live-state.js";
export {
  createLicenseWriter,
  DEFAULT_WRITER_CONCURRENCY,
  DEFAULT_MAX_RETRY_TIME_MS,
  type LicenseWriterOptions,
} from "./graph-license-writer.js";
export { CLOUD_ENDPOINTS, graphScope, type CloudEndpoints } from "./clouds.js";
export { resolveGraphTarget, isLoopbackHost, type ResolvedGraphTarget } from "./graph-url-trust.js";
export {
  readCredentialSettings,
  AUTH_FAILURE_HINTS,
  type CredentialSettings,
} from "./credential-settings.js";
export { graphFailure, permissionFor } from "./graph-errors.js";
export type * from "./write-operations.js";
