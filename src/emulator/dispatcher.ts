import { runBatch } from "./batch.js";
import { GraphError, errorEnvelope, segmentNotFound, serviceUnavailable, tooManyRequests } from "./errors.js";
import type { FaultInjector } from "./faults.js";
import { readQuery } from "./query.js";
import { requestCost, type ResourceUnitThrottle } from "./resource-units.js";
import { matchRoute, type GraphRequest, type GraphResponse, type RouteContext } from "./routes.js";
import type { EmulatorCounters } from "./types.js";

export type MutableCounters = { -readonly [K in keyof EmulatorCounters]: EmulatorCounters[K] } & {
  byRoute: Record<string, number>;
};

export const emptyCounters = (): MutableCounters => ({
  requests: 0,
  byRoute: {},
  writesAttempted: 0,
  writesApplied: 0,
  throttled: 0,
  faultsInjected: 0,
});

/** Both throttles' headers; where both give a limit percentage, the higher one (the nearer limit) shows. */
function mergeThrottleHeaders(
  write: Record<string, string> | undefined,
  units: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (write === undefined) return units;
  if (units === undefined) return write;
  const key = "x-ms-throttle-limit-percentage";
  const percentage = Math.max(Number(write[key] ?? 0), Number(units[key] ?? 0));
  return { ...units, [key]: percentage.toFixed(2) };
}

/**
 * Answers Graph requests from the tenant: counts them, applies the write
 * throttle and random faults, runs the route, and wraps errors in Graph's
 * envelope. The same path serves HTTP requests and requests inside $batch.
 */
export class Dispatcher {
  constructor(
    private readonly context: () => RouteContext,
    private readonly faults: FaultInjector,
    private readonly onWrite: () => void,
    /** Resource-unit throttling of every request, reads included (off unless asked for). */
    private readonly resourceUnits?: ResourceUnitThrottle,
    /** Shared by the tenants of one emulator. */
    readonly counters: MutableCounters = emptyCounters(),
  ) {}

  /** One top-level request (path relative to /v1.0). */
  handle(request: GraphRequest, requestId: string): GraphResponse {
    if (request.path === "/$batch") {
      this.count("POST /$batch");
      return this.guard(request, requestId, () => {
        if (request.method.toUpperCase() !== "POST") throw segmentNotFound("$batch");
        // A whole batch can fail before any request inside it runs.
        const outer = this.faults.batchFailure();
        if (outer) {
          this.counters.faultsInjected++;
          throw outer === 429
            ? tooManyRequests(1, this.context().store.data.tenant.id)
            : serviceUnavailable(outer);
        }
        return runBatch(request.body, (inner) => this.execute(inner, requestId), this.faults);
      });
    }
    return this.execute(request, requestId);
  }

  private execute(request: GraphRequest, requestId: string): GraphResponse {
    return this.guard(request, requestId, () => {
      const route = matchRoute(this.context(), request);
      this.count(route.key);
      let writeHeaders: Record<string, string> | undefined;
      if (route.write) {
        this.counters.writesAttempted++;
        const admission = this.faults.takeWrite();
        if (admission?.admitted === false) {
          this.counters.throttled++;
          throw tooManyRequests(admission.retryAfterSeconds, this.context().store.data.tenant.id);
        }
        // Graph adds the percentage only once 80% of the limit is used.
        if (admission !== undefined && admission.usedFraction > 0.8)
          writeHeaders = { "x-ms-throttle-limit-percentage": admission.usedFraction.toFixed(2) };
      }
      const charge = mergeThrottleHeaders(writeHeaders, this.chargeUnits(route.key, route.write, request));
      const fault = this.faults.randomError();
      if (fault) {
        this.counters.faultsInjected++;
        throw serviceUnavailable(fault);
      }
      const response = route.run();
      if (route.write) {
        this.counters.writesApplied++;
        this.onWrite();
      }
      return charge ? { ...response, headers: { ...response.headers, ...charge } } : response;
    });
  }

  /** Resource-unit headers for the answer, or the 429 when the request does not fit. */
  private chargeUnits(
    key: string,
    write: boolean,
    request: GraphRequest,
  ): Record<string, string> | undefined {
    if (!this.resourceUnits) return undefined;
    try {
      const cost = requestCost(key, readQuery(request.search, request.headers["consistencylevel"]));
      return { ...this.resourceUnits.charge(cost, write).headers };
    } catch (error) {
      this.counters.throttled++;
      throw error;
    }
  }

  private guard(request: GraphRequest, requestId: string, run: () => GraphResponse): GraphResponse {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      const clientRequestId = request.headers["client-request-id"] ?? requestId;
      return {
        status: error.status,
        headers: { "Content-Type": "application/json", ...error.headers },
        body: errorEnvelope(error, requestId, clientRequestId),
      };
    }
  }

  private count(key: string): void {
    this.counters.byRoute[key] = (this.counters.byRoute[key] ?? 0) + 1;
  }
}
