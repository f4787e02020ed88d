import { GraphError } from "./errors.js";
import type { ODataQuery } from "./query.js";

/**
 * Graph's identity-and-access throttling of one application in one tenant:
 * a token bucket of resource units per 10 seconds, sized by the tenant
 * (Microsoft Graph service-specific throttling limits, "Identity and access
 * service limits"): 3,500 RU under 50 users, 5,000 up to 500, 8,000 above;
 * and 3,000 writes per 2 min 30 s.
 */
export const RU_WINDOW_MS = 10_000;
export const WRITE_WINDOW_MS = 150_000;
export const WRITE_QUOTA = 3_000;

/** The resource-unit quota per 10 s for a tenant of `users` users. */
export function resourceUnitQuota(users: number): number {
  return users < 50 ? 3_500 : users <= 500 ? 5_000 : 8_000;
}

/**
 * What a request costs, from the documented cost table: GET users 2,
 * subscribedSkus 3, a group's members 3, licenseDetails 2, any other GET 1;
 * $select takes one off, $top under 20 one more, never below 1. A write costs
 * 1 RU and one write. `routeKey` is the emulator's route key, e.g.
 * "GET /users/{id}/licenseDetails".
 */
export function requestCost(routeKey: string, query: ODataQuery): number {
  const [method = "GET", path = ""] = routeKey.split(" ");
  if (method !== "GET") return 1;
  const base =
    path === "/users" || path === "/users/{id}"
      ? 2
      : path === "/subscribedSkus"
        ? 3
        : path.startsWith("/groups/{id}/members/") || path === "/groups/{id}/members"
          ? 3
          : path === "/users/{id}/licenseDetails"
            ? 2
            : 1;
  const top = Number(query.params.get("$top") ?? "");
  const cost = base - (query.select ? 1 : 0) - (Number.isInteger(top) && top > 0 && top < 20 ? 1 : 0);
  return Math.max(1, cost);
}

/** The throttle's answer for one request: its cost and the headers Graph adds. */
export interface Charge {
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Charges requests against the resource-unit and write buckets. A request
 * that does not fit is refused with Graph's 429, Retry-After (seconds until
 * it would fit) and the throttle headers; it is not carried out.
 */
export class ResourceUnitThrottle {
  private units: number;
  private writes: number;
  private last: number;

  constructor(
    readonly quota: number,
    private readonly tenantId: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.units = quota;
    this.writes = WRITE_QUOTA;
    this.last = now();
  }

  /** Takes `cost` units (and a write); returns the headers for the answer, or throws the 429. */
  charge(cost: number, write: boolean): Charge {
    this.refill();
    if (cost > this.units)
      throw this.throttled(((cost - this.units) / this.quota) * RU_WINDOW_MS, "ResourceUnitLimitExceeded");
    if (write && this.writes < 1)
      throw this.throttled(((1 - this.writes) / WRITE_QUOTA) * WRITE_WINDOW_MS, "WriteLimitExceeded");
    this.units -= cost;
    if (write) this.writes -= 1;
    const used = (this.quota - this.units) / this.quota;
    return {
      headers: {
        "x-ms-resource-unit": String(cost),
        // Graph adds the percentage only once 80% of the limit is used.
        ...(used > 0.8 ? { "x-ms-throttle-limit-percentage": used.toFixed(2) } : {}),
      },
    };
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.last;
    this.last = now;
    this.units = Math.min(this.quota, this.units + (elapsed / RU_WINDOW_MS) * this.quota);
    this.writes = Math.min(WRITE_QUOTA, this.writes + (elapsed / WRITE_WINDOW_MS) * WRITE_QUOTA);
  }

  private throttled(waitMs: number, reason: string): GraphError {
    return new GraphError(429, "TooManyRequests", "Please retry again later.", {
      headers: {
        "Retry-After": String(Math.max(1, Math.ceil(waitMs / 1000))),
        "x-ms-throttle-scope": `Tenant_Application/ReadWrite/00000000-0000-0000-0000-000000000000/${this.tenantId}`,
        "x-ms-throttle-information": reason,
      },
      innerError: { code: "429", message: "Please retry after", status: "429" },
    });
  }
}
