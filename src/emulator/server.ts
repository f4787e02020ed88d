import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadCatalog } from "../catalog/bundled-catalog.js";
import { LicensectlError } from "../model/errors.js";
import { emptyCounters } from "./dispatcher.js";
import { GraphError, errorEnvelope, newRequestId, serviceUnavailable } from "./errors.js";
import { batchHasWrite } from "./batch.js";
import { AnswerDropped, FaultInjector } from "./faults.js";
import { readTenantFixture } from "./fixture.js";
import { resolveFixture } from "./resolve-fixture.js";
import type { GraphRequest, GraphResponse } from "./routes.js";
import { bodyBytes } from "./route-kit.js";
import { takeSnapshot } from "./snapshot.js";
import { loadState, saveState } from "./state-file.js";
import { TenantStore } from "./tenant-store.js";
import type { TenantData } from "./tenant-model.js";
import { createTenantHost, DEFAULT_GROUP_PROCESSING_DELAY_MS, type TenantHost } from "./tenant-host.js";
import { answerIdentityRequest, invalidToken, isIdentityPath, tokenTenant } from "./token-endpoint.js";
import type { TenantFixture } from "./fixture-types.js";
import type { EmulatorCounters, EmulatorOptions, RunningEmulator } from "./types.js";

export { DEFAULT_GROUP_PROCESSING_DELAY_MS };
/** How often at most the state file is rewritten while writes keep coming. */
const SAVE_INTERVAL_MS = 200;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(
  res: ServerResponse,
  response: GraphResponse,
  requestId: string,
  clientRequestId: string,
): void {
  const headers: Record<string, string> = {
    ...response.headers,
    "request-id": requestId,
    "client-request-id": clientRequestId,
    "x-ms-ags-diagnostic": JSON.stringify({
      ServerInfo: {
        DataCenter: "Loopback",
        Slice: "E",
        Ring: "0",
        ScaleUnit: "000",
        RoleInstance: "licensectl-emulator",
      },
    }),
    "Cache-Control": "no-cache",
  };
  if (response.body === undefined || response.status === 204) {
    res.writeHead(response.status, headers).end();
    return;
  }
  // Encoded once: a page of 999 users is half a megabyte, measured and then written.
  const bytes = bodyBytes(response.body);
  headers["Content-Length"] = String(bytes.length);
  res.writeHead(response.status, headers).end(bytes);
}

/**
 * Runs a top-level request under the lost-answer fault: a write on its own
 * (scope "request") or a `$batch` holding writes (scope "batch") may be
 * carried out, or not, and answered 503/504 or not at all.
 */
function handleLosingAnswer(
  request: GraphRequest,
  faults: FaultInjector,
  handle: () => GraphResponse,
): GraphResponse {
  const fault =
    request.path === "/$batch"
      ? batchHasWrite(request.body)
        ? faults.lostWrite("batch")
        : undefined
      : request.method.toUpperCase() !== "GET"
        ? faults.lostWrite("request")
        : undefined;
  if (fault === undefined) return handle();
  if (fault.carriedOut) handle();
  if (fault.answer === "drop") throw new AnswerDropped();
  throw serviceUnavailable(fault.answer);
}

/** Resolves the fixture (object or file) into tenant records; problems in a file come located. */
function loadFixtureData(tenant: TenantFixture | string): TenantData {
  if (typeof tenant !== "string") return resolveFixture(tenant, loadCatalog());
  const { fixture, locate } = readTenantFixture(tenant);
  return resolveFixture(fixture, loadCatalog(), tenant, locate);
}

/**
 * Starts a Microsoft Graph v1.0 emulator of the licensing surface on
 * 127.0.0.1, serving `options.tenant` (or the state file when it exists).
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const fixtures = [...(options.tenant !== undefined ? [options.tenant] : []), ...(options.tenants ?? [])];
  if (fixtures.length === 0)
    throw new LicensectlError("bad-option", "the emulator needs a tenant fixture", {
      hint: "Pass --tenant FILE (several for several tenants), or --generate N.",
    });
  if (fixtures.length > 1 && options.statePath)
    throw new LicensectlError(
      "bad-option",
      "--state keeps one tenant; it cannot be used with several --tenant",
      {
        hint: "Serve several tenants without --state, or one tenant with it.",
      },
    );
  const persisted = options.statePath ? loadState(options.statePath) : undefined;
  const stores = persisted
    ? [new TenantStore(persisted, false)]
    : fixtures.map((fixture) => new TenantStore(loadFixtureData(fixture), true));
  // The stores hold the tenants now: the requests' closures keep the options without the fixtures,
  // so a generated tenant of a million users is not kept alive twice.
  const { tenant: _tenant, tenants: _tenants, ...served } = options;
  options = served;
  const store = stores[0]!;
  const byTenant = new Map<string, TenantStore>();
  for (const held of stores) {
    const id = held.data.tenant.id.toLowerCase();
    if (byTenant.has(id))
      throw new LicensectlError("fixture-invalid", `two tenant fixtures hold the same tenant id ${id}`, {
        hint: "Give each fixture its own tenant.id.",
      });
    byTenant.set(id, held);
  }

  let dirty = false;
  let saveTimer: NodeJS.Timeout | undefined;
  let lastSaveMs = 0;
  const flush = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (dirty && options.statePath) {
      const started = performance.now();
      saveState(options.statePath, store.data);
      lastSaveMs = performance.now() - started;
    }
    dirty = false;
  };
  const changed = () => {
    if (!options.statePath) return;
    dirty = true;
    // A large tenant takes a while to write; saving at most a tenth of the time keeps writes fast.
    saveTimer ??= setTimeout(flush, Math.max(SAVE_INTERVAL_MS, lastSaveMs * 10));
  };
  if (options.statePath && !persisted) {
    dirty = true;
    flush();
  }

  const faults = new FaultInjector(
    {
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
      ...(options.throttle ? { throttle: options.throttle } : {}),
      errorRate: options.faults?.errorRate ?? 0,
      dropRate: options.faults?.dropRate ?? 0,
      batchFailureRate: options.faults?.batchFailureRate ?? 0,
      seed: options.faults?.seed ?? options.seed ?? 1,
      ...(options.faults?.lostWrites ? { lostWrites: options.faults.lostWrites } : {}),
    },
    options.clock,
  );
  let origin = "";
  const counters = emptyCounters();
  const hosts = new Map<string, TenantHost>();
  for (const [id, held] of byTenant)
    hosts.set(
      id,
      createTenantHost(held, options, faults, counters, () => origin, changed),
    );
  const single = hosts.size === 1 ? [...hosts.values()][0] : undefined;
  /**
   * The tenant a Graph request is for: its token's tenant, as Graph decides
   * for a multi-tenant app. A request without a token reaches the only
   * tenant of a single-tenant emulator (as it always has), and is refused
   * with Graph's 401 when the emulator holds several.
   */
  const hostFor = (authorization: string | undefined): TenantHost => {
    const tenant = tokenTenant(authorization, origin);
    if (tenant === undefined) {
      if (single) return single;
      throw invalidToken("Access token is empty.", origin);
    }
    const host = hosts.get(tenant.toLowerCase());
    if (!host) throw invalidToken("Access token validation failure. Invalid audience.", origin);
    return host;
  };
  const holds = (tenant: string): string | undefined => byTenant.get(tenant.toLowerCase())?.data.tenant.id;

  const server = createServer((req, res) => {
    void (async () => {
      const requestId = newRequestId();
      const clientRequestId = String(req.headers["client-request-id"] ?? requestId);
      counters.requests++;
      const raw = await readBody(req);
      if (faults.shouldDrop()) {
        counters.faultsInjected++;
        req.socket.destroy();
        return;
      }
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const url = new URL(req.url ?? "/", origin);
      if (isIdentityPath(url.pathname)) {
        const answer = answerIdentityRequest(
          req.method ?? "GET",
          url.pathname,
          new URLSearchParams(raw.toString("utf8")),
          origin,
          holds,
        );
        const text = JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          ...answer.headers,
          "Content-Length": String(Buffer.byteLength(text)),
        });
        res.end(text);
        return;
      }
      // The JS SDK only strips https:// roots from a nextLink and appends an http:// one to its base URL.
      const pathname = url.pathname.replace(/^\/v1\.0\/https?:\/+[^/]+(?=\/v1\.0\/)/, "");
      const version = /^\/v1\.0(\/.*)?$/.exec(pathname);
      let response: GraphResponse;
      try {
        if (!version) {
          throw new GraphError(400, "BadRequest", `Invalid version: ${pathname.split("/")[1] ?? ""}`);
        }
        let body: unknown;
        if (raw.length > 0) {
          try {
            body = JSON.parse(raw.toString("utf8"));
          } catch {
            throw new GraphError(
              400,
              "BadRequest",
              "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
            );
          }
        }
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        const request = {
          method: req.method ?? "GET",
          path: version[1] ?? "/",
          search: url.searchParams,
          headers,
          body,
        };
        const host = hostFor(headers["authorization"]);
        response = handleLosingAnswer(request, faults, () => host.dispatcher.handle(request, requestId));
      } catch (error) {
        if (error instanceof AnswerDropped) {
          counters.faultsInjected++;
          req.socket.destroy();
          return;
        }
        const graphError =
          error instanceof GraphError
            ? error
            : new GraphError(500, "InternalServerError", `The emulator failed: ${(error as Error).message}`);
        response = {
          status: graphError.status,
          headers: { "Content-Type": "application/json", ...graphError.headers },
          body: errorEnvelope(graphError, requestId, clientRequestId),
        };
      }
      send(res, response, requestId, clientRequestId);
    })().catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      for (const host of hosts.values()) host.processor.stop();
      reject(
        error.code === "EADDRINUSE" || error.code === "EACCES"
          ? new LicensectlError(
              "emulator-port",
              `cannot listen on 127.0.0.1:${options.port}: ${error.message}`,
              {
                hint: "Choose another --port, or --port 0 for any free one.",
                cause: error,
              },
            )
          : error,
      );
    });
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const storeOf = (tenantId: string | undefined): TenantStore => {
    if (tenantId === undefined) return store;
    const held = byTenant.get(tenantId.toLowerCase());
    if (!held) throw new Error(`the emulator holds no tenant ${tenantId}`);
    return held;
  };
  let stopped = false;
  return {
    url: origin,
    get counters(): EmulatorCounters {
      return counters;
    },
    resetCounters() {
      // In place, so a view taken before the reset stays live.
      Object.assign(counters, emptyCounters());
    },
    resetWriteThrottle: () => faults.resetWriteThrottle(),
    tenantIds: stores.map((held) => held.data.tenant.id),
    snapshot: (tenantId) => takeSnapshot(storeOf(tenantId)),
    timeline: (since, tenantId) => storeOf(tenantId).timeline.list(since),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const host of hosts.values()) host.processor.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      flush();
    },
  };
}
