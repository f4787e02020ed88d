import type { LiveState } from "../model/live-state.js";
import type { LostWriteFault, WriteThrottle } from "./faults.js";
import type { TenantFixture } from "./fixture-types.js";
import type { LicenseEvent } from "./license-timeline.js";

/** How to start an emulator. */
export interface EmulatorOptions {
  /** The tenant: a fixture object or the path of a fixture YAML file. */
  readonly tenant?: TenantFixture | string;
  /**
   * More tenants, served at once (after `tenant`, when both are given). Graph
   * requests are told apart by the tenant of their access token, issued by the
   * emulator's token endpoint `POST /{tenantId}/oauth2/v2.0/token`; with more
   * than one tenant, a request without a token is answered 401.
   */
  readonly tenants?: readonly (TenantFixture | string)[];
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** JSON file the tenant is saved to after each change, and loaded from at start when it exists. */
  readonly statePath?: string;
  /** Latency added to every HTTP request, in ms. */
  readonly latencyMs?: number;
  /**
   * Keep each page of users asked for a second time and serve it again,
   * byte for byte, until the tenant changes, as a warm service answers
   * repeated reads without the work of the first. For benchmarks, where the
   * emulator shares the client's cores: the read that keeps the pages costs
   * more (a million users' pages are about 470 MB). Default false.
   */
  readonly keepPages?: boolean;
  /**
   * Throttle writes with a token bucket (429 + Retry-After when empty), as
   * Graph's write limit per app and tenant: 3,000 per 150 s is
   * `{ writesPerSecond: 20, burst: 3000 }`.
   */
  readonly throttle?: WriteThrottle;
  /** The throttles' clock in ms (default performance.now): tests run them on virtual time. */
  readonly clock?: () => number;
  /**
   * Random 503/504 (errorRate), dropped connections (dropRate), whole $batch
   * requests refused with 503, 504 or 429 (batchFailureRate), and writes whose
   * answer is lost (lostWrites), from a seed.
   */
  readonly faults?: {
    readonly errorRate?: number;
    readonly dropRate?: number;
    readonly batchFailureRate?: number;
    readonly seed?: number;
    /** Writes whose answer is lost after they were carried out (or before). */
    readonly lostWrites?: LostWriteFault;
  };
  /**
   * Graph's resource-unit throttling of every request, reads included: costs
   * per request, a bucket per 10 s sized by the tenant (3,500 / 5,000 / 8,000
   * RU for under 50 / up to 500 / more users, or `quota`), 3,000 writes per
   * 150 s, and Graph's x-ms-resource-unit and throttle headers. Off by default.
   */
  readonly resourceUnits?: boolean | { readonly quota?: number };
  /** Delay of each group-processing step, in ms (default 50; 0 = processed before assignLicense answers). */
  readonly groupProcessingDelayMs?: number;
  /**
   * Eventual consistency: a read may see each user, group and SKU as it was
   * up to this many ms ago (seeded), so writes show late, group processing is
   * reported late and consumedUnits trail. Writes act on the current state.
   * Default 0: every read sees the last write.
   */
  readonly consistencyLagMs?: number;
  /** Seed of the emulator's random choices ($batch order, faults) when faults.seed is not given. */
  readonly seed?: number;
}

/** What the emulator counted since it started or since resetCounters(). */
export interface EmulatorCounters {
  /** HTTP requests received; a $batch counts 1. */
  readonly requests: number;
  /** Requests per route, e.g. "GET /users", "POST /$batch", "POST /users/{id}/assignLicense" (inner batch requests included). */
  readonly byRoute: Readonly<Record<string, number>>;
  /** Requests to state-changing routes (POST/PATCH), inner batch requests included. */
  readonly writesAttempted: number;
  /** State-changing requests that succeeded. */
  readonly writesApplied: number;
  /** Requests answered 429. */
  readonly throttled: number;
  /** Requests answered 503/504 or dropped on purpose. */
  readonly faultsInjected: number;
}

/**
 * The tenant as the emulator holds it, in the shapes licensectl reads from
 * Graph; groups carry their member ids.
 */
export type TenantSnapshot = LiveState;

/** A running emulator. */
export interface RunningEmulator {
  /** The Graph root, e.g. http://127.0.0.1:5555; clients append /v1.0. */
  readonly url: string;
  /** Stops listening, cancels group processing and saves the state file. */
  stop(): Promise<void>;
  /** Live, read-only view of the counters. */
  readonly counters: EmulatorCounters;
  /** Sets every counter back to zero. */
  resetCounters(): void;
  /**
   * Puts the write bucket back as it started (empty when `startEmpty`, else
   * full), so a measurement after set-up reads starts from a known state.
   */
  resetWriteThrottle(): void;
  /** The ids of the tenants served, in the order given. */
  readonly tenantIds: readonly string[];
  /** The current tenant (the first, or `tenantId`), for assertions. */
  snapshot(tenantId?: string): TenantSnapshot;
  /**
   * Every change of a user's held SKUs since the emulator started (or with a
   * seq above `since`), in order: shows whether anyone went without a license
   * for a moment. See `continuityViolations`.
   */
  timeline(since?: number, tenantId?: string): readonly LicenseEvent[];
}
