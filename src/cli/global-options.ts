import type { Command } from "commander";
import { CLOUDS, type CloudName } from "../graph/clouds.js";
import { DEFAULT_READ_CONCURRENCY } from "../graph/read-live-state.js";
import { AUTH_METHODS, type AuthMethod } from "../graph/credential-settings.js";
import { DEFAULT_CONSISTENCY_WINDOW_MS } from "../util/consistency-window.js";

export { AUTH_METHODS, CLOUDS, type AuthMethod, type CloudName };

/** Options every command accepts. */
export interface GlobalOptions {
  readonly tenantId?: string;
  readonly cloud: CloudName;
  readonly graphUrl?: string;
  readonly auth: AuthMethod;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** A newer copy of Microsoft's SKU/service-plan CSV than the bundled one. */
  readonly catalog?: string;
  /** How long a read of the tenant may lag behind a write (`--consistency-window`; unset: the default). */
  readonly consistencyWindowMs?: number;
  /** `userPrincipalName` ranges of users read at once; 1 reads page after page (default DEFAULT_READ_CONCURRENCY). */
  readonly readConcurrency?: number;
}

/** Highest --read-concurrency: beyond it the member reads beside it and Graph's limits gain nothing. */
export const MAX_READ_CONCURRENCY = 32;

export function addGlobalOptions(program: Command): void {
  program
    .option("--tenant-id <id>", "Entra tenant id to sign in to (default: AZURE_TENANT_ID)")
    .option("--cloud <name>", `national cloud: ${CLOUDS.join(", ")}`, "global")
    .option("--graph-url <url>", "Microsoft Graph root, e.g. http://127.0.0.1:5555 for the emulator")
    .option("--auth <method>", `credential: ${AUTH_METHODS.join(", ")}`, "default")
    .option("--no-color", "never colour output (also: NO_COLOR)")
    .option("--quiet", "print only results and errors", false)
    .option("--verbose", "print Graph requests and timings on stderr", false)
    .option("--catalog <file>", "SKU catalog CSV to use instead of the bundled copy")
    .option(
      "--consistency-window <ms>",
      "how long a read of the tenant may lag behind a write (Entra is eventually consistent); apply waits this long before believing a read that decides a removal",
      String(DEFAULT_CONSISTENCY_WINDOW_MS),
    )
    .option(
      "--read-concurrency <n>",
      `requests for user pages in flight at once (over userPrincipalName ranges), 1 to ${MAX_READ_CONCURRENCY}; 1 reads page after page`,
      String(DEFAULT_READ_CONCURRENCY),
    );
}
