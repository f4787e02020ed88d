import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadCatalog } from "../catalog/bundled-catalog.js";
import { LicensectlError } from "../model/errors.js";
import { Dispatcher, emptyCounters } from "./dispatcher.js";
import { GraphError, errorEnvelope, newRequestId, serviceUnavailable } from "./errors.js";
import { batchHasWrite } from "./batch.js";
import { AnswerDropped, FaultInjector } from "./faults.js";
import { readTenantFixture } from "./fixture.js";
import { LaggedView } from "./consistency.js";
import { GroupProcessor } from "./group-processing.js";
import { resolveFixture } from "./resolve-fixture.js";
import { ResourceUnitThrottle, resourceUnitQuota } from "./resource-units.js";
import type { GraphRequest, GraphResponse, RouteContext } from "./routes.js";
import { takeSnapshot } from "./snapshot.js";
import { loadState, saveState } from "./state-file.js";
import { TenantStore } from "./tenant-store.js";
import type { TenantData } from "./tenant-model.js";
import type { EmulatorCounters, EmulatorOptions, RunningEmulator } from "./types.js";

/** Default delay of each group-processing step. */
export const DEFAULT_GROUP_PROCESSING_DELAY_MS = 50;
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
  const text = JSON.stringify(response.body);
  headers["Content-Length"] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers).end(text);
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
function loadFixtureData(tenant: EmulatorOptions["tenant"]): TenantData {
  if (typeof tenant !== "string") return resolveFixture(tenant, loadCatalog());
  const { fixture, locate } = readTenantFixture(tenant);
  return resolveFixture(fixture, loadCatalog(), tenant, locate);
}

/**
 * Starts a Microsoft Graph v1.0 emulator of the licensing surface on
 * 127.0.0.1, serving `options.tenant` (or the state file when it exists).
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const persisted = options.statePath ? loadState(options.statePath) : undefined;
  const store = persisted
    ? new TenantStore(persisted, false)
    : new TenantStore(loadFixtureData(options.tenant), true);

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

  const processor = new GroupProcessor(
    store,
    options.groupProcessingDelayMs ?? DEFAULT_GROUP_PROCESSING_DELAY_MS,
    changed,
  );
  // A state saved while a group was still being processed resumes that processing.
  for (const group of store.groups) {
    if (group.licenseProcessingState !== null && group.licenseProcessingState !== "ProcessingComplete")
      processor.enqueue(group);
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
  const view = new LaggedView(options.consistencyLagMs ?? 0, options.seed ?? 1);
  store.beforeChange = (record) => view.beforeChange(record);
  const context = (): RouteContext => ({ store, processor, view, origin });
  const ru = options.resourceUnits;
  const dispatcher = new Dispatcher(
    context,
    faults,
    changed,
    ru
      ? new ResourceUnitThrottle(
          (typeof ru === "object" ? ru.quota : undefined) ?? resourceUnitQuota(store.users.length),
          store.data.tenant.id,
          options.clock,
        )
      : undefined,
  );

  const server = createServer((req, res) => {
    void (async () => {
      const requestId = newRequestId();
      const clientRequestId = String(req.headers["client-request-id"] ?? requestId);
      dispatcher.counters.requests++;
      const raw = await readBody(req);
      if (faults.shouldDrop()) {
        dispatcher.counters.faultsInjected++;
        req.socket.destroy();
        return;
      }
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const url = new URL(req.url ?? "/", origin);
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
        response = handleLosingAnswer(request, faults, () => dispatcher.handle(request, requestId));
      } catch (error) {
        if (error instanceof AnswerDropped) {
          dispatcher.counters.faultsInjected++;
          req.socket.destroy();
          return;
        }
        const graphError =
          error instanceof GraphError
            ? error
            : new GraphError(500, "InternalServerError", `The emulator failed: ${(error as Error).message}`);
        response = {
          status: graphError.status,
          headers: { "Content-Type": "application/json" },
          body: errorEnvelope(graphError, requestId, clientRequestId),
        };
      }
      send(res, response, requestId, clientRequestId);
    })().catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      processor.stop();
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

  let stopped = false;
  return {
    url: origin,
    get counters(): EmulatorCounters {
      return dispatcher.counters;
    },
    resetCounters() {
      // In place, so a view taken before the reset stays live.
      Object.assign(dispatcher.counters, emptyCounters());
    },
    resetWriteThrottle: () => faults.resetWriteThrottle(),
    snapshot: () => takeSnapshot(store),
    timeline: (since) => store.timeline.list(since),
    async stop() {
      if (stopped) return;
      stopped = true;
      processor.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      flush();
    },
  };
}
