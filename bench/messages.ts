import type { EmulatorCounters } from "../src/emulator/index.js";
import type { DriftCounts, ManifestShape } from "./scenario.js";
import type { PhaseTiming } from "./measure.js";

/** What the orchestrator asks a tenant host to serve. */
export interface HostRequest {
  readonly users: number;
  readonly groups: number;
  readonly seed: number;
  /** One emulator per latency (ms), all serving the same tenant. */
  readonly latencies: readonly number[];
  /** How the manifests lay out their users (default: files of 5,000 licensed users). */
  readonly shape?: ManifestShape;
}

/** Sent by the tenant host once its emulators listen. */
export interface HostReady {
  readonly type: "ready";
  readonly urls: readonly string[];
  readonly manifestDir: string;
  readonly manifestFiles: number;
  readonly manifestBytes: number;
  readonly expectedReadRequests: number;
  readonly expectedMemberPages: number;
  /** `$batch` requests that carry the member pages. */
  readonly expectedMemberBatches: number;
  readonly drift: DriftCounts;
  readonly tenant: {
    readonly users: number;
    readonly groups: number;
    readonly licensedGroups: number;
    readonly skus: number;
    readonly usersWithDirectLicenses: number;
  };
  readonly setupMs: number;
}

export interface HostCounters {
  readonly type: "counters";
  readonly counters: readonly EmulatorCounters[];
}

/** Sent by the tenant host once it has collected its garbage (it runs with --expose-gc). */
export interface HostSettled {
  readonly type: "settled";
}

/** What a measured client is told to do. */
export interface ClientRequest {
  readonly url: string;
  readonly manifestDir: string;
  /** full: load, read, plan, render; read: read only. */
  readonly mode: "full" | "read";
  /** `userPrincipalName` ranges read at once (default: licensectl's default). */
  readonly readConcurrency?: number;
}

/** What a measured client reports. */
export interface ClientResult {
  readonly type: "result";
  readonly phases: Readonly<Record<string, PhaseTiming>>;
  /** HTTP requests the client sent (retries included). */
  readonly requests: number;
  readonly peakRssMb: number;
  readonly plan?: {
    readonly changes: number;
    readonly waves: Readonly<Record<string, number>>;
    readonly renderedBytes: Readonly<Record<string, number>>;
  };
  readonly live: { readonly users: number; readonly groups: number; readonly skus: number };
  /** The read concurrency used. */
  readonly readConcurrency: number;
  /** Set when the partitioned read could not prove itself complete and read again page after page. */
  readonly readRestarted?: string;
}
