import { GraphError, errorEnvelope, newRequestId, serviceUnavailable } from "./errors.js";
import { AnswerDropped, type FaultInjector } from "./faults.js";
import type { GraphRequest, GraphResponse } from "./routes.js";
import { bodyValue } from "./route-kit.js";

/** Graph's limit on requests in one $batch. */
export const MAX_BATCH_REQUESTS = 20;

interface InnerRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly dependsOn: readonly string[];
}

const invalid = (message: string) => new GraphError(400, "BadRequest", message);

function readRequests(body: unknown): InnerRequest[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw invalid("Invalid batch payload format.");
  if (requests.length === 0) throw invalid("Invalid batch payload format: the batch contains no requests.");
  if (requests.length > MAX_BATCH_REQUESTS)
    throw invalid(
      `The number of requests in the batch (${requests.length}) exceeds the limit of ${MAX_BATCH_REQUESTS}.`,
    );
  const seen = new Set<string>();
  const parsed = requests.map((raw: unknown): InnerRequest => {
    const r = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof r.id !== "string" || r.id === "") throw invalid("Each request in a batch needs an id.");
    if (typeof r.method !== "string" || typeof r.url !== "string")
      throw invalid(`Request '${r.id}' in the batch needs a method and a url.`);
    const key = r.id.toLowerCase();
    if (seen.has(key)) throw invalid(`Batch request ids must be unique; '${r.id}' is used more than once.`);
    seen.add(key);
    const headers: Record<string, string> = {};
    if (typeof r.headers === "object" && r.headers !== null)
      for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = String(v);
    if (r.body !== undefined && r.body !== null && headers["content-type"] === undefined)
      throw invalid(`Request '${r.id}' has a body but no Content-Type header.`);
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    return { id: r.id, method: r.method, url: r.url, headers, body: r.body, dependsOn };
  });
  for (const r of parsed) {
    for (const d of r.dependsOn) {
      if (!seen.has(d.toLowerCase()) || d.toLowerCase() === r.id.toLowerCase())
        throw invalid(`Request '${r.id}' depends on '${d}', which is not another request of the batch.`);
    }
  }
  return parsed;
}

function toGraphRequest(r: InnerRequest): GraphRequest {
  const url = new URL(r.url.replace(/^\/?/, "/"), "http://batch.invalid");
  let body = r.body;
  if (typeof body === "string" && (r.headers["content-type"] ?? "").includes("json")) {
    try {
      body = JSON.parse(body);
    } catch {
      // Left as text: the route answers it as a bad payload.
    }
  }
  return {
    method: r.method,
    // Inner URLs are relative to the version: "/v1.0/users" is refused for its segment 'v1.0', as Graph does.
    path: url.pathname,
    search: url.searchParams,
    headers: r.headers,
    body,
  };
}

/**
 * Runs a $batch: requests without dependsOn in a shuffled order (Graph
 * promises none), dependents after what they depend on and 424 when that
 * failed; each inner request throttled and faulted on its own.
 */
export function runBatch(
  body: unknown,
  execute: (request: GraphRequest) => GraphResponse,
  faults: FaultInjector,
): GraphResponse {
  const requests = readRequests(body);
  const results = new Map<string, GraphResponse>();
  const pending = [...requests];
  let dropAnswer = false;
  while (pending.length > 0) {
    const ready = pending.filter((r) => r.dependsOn.every((d) => results.has(d.toLowerCase())));
    if (ready.length === 0) throw invalid("The dependsOn of the batch's requests form a cycle.");
    for (const r of faults.shuffle(ready)) {
      pending.splice(pending.indexOf(r), 1);
      const failed = r.dependsOn.some((d) => (results.get(d.toLowerCase())?.status ?? 0) >= 400);
      results.set(
        r.id.toLowerCase(),
        failed
          ? {
              status: 424,
              headers: { "Content-Type": "application/json" },
              body: { error: { code: "FailedDependency", message: "Failed dependency" } },
            }
          : executeLosingAnswer(r, execute, faults, () => (dropAnswer = true)),
      );
    }
  }
  // A connection cannot lose one inner answer alone: the whole $batch answer goes.
  if (dropAnswer) throw new AnswerDropped();
  const responses = faults.shuffle(requests).map((r) => {
    const res = results.get(r.id.toLowerCase())!;
    return {
      id: r.id,
      status: res.status,
      headers: res.headers,
      ...(res.body !== undefined ? { body: bodyValue(res.body) } : {}),
    };
  });
  return {
    status: 200,
    headers: {
      "Content-Type":
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
    },
    body: { responses },
  };
}

const isWrite = (method: string): boolean => method.toUpperCase() !== "GET";

/** Runs one inner request; a write may be hit by the lost-answer fault (see LostWriteFault). */
function executeLosingAnswer(
  r: InnerRequest,
  execute: (request: GraphRequest) => GraphResponse,
  faults: FaultInjector,
  drop: () => void,
): GraphResponse {
  const fault = isWrite(r.method) ? faults.lostWrite("request") : undefined;
  if (fault === undefined) return execute(toGraphRequest(r));
  const response = fault.carriedOut ? execute(toGraphRequest(r)) : undefined;
  if (fault.answer === "drop") {
    drop();
    return response ?? { status: 0, headers: {} };
  }
  const error = serviceUnavailable(fault.answer);
  const requestId = newRequestId();
  return {
    status: error.status,
    headers: { "Content-Type": "application/json", ...error.headers },
    body: errorEnvelope(error, requestId, r.headers["client-request-id"] ?? requestId),
  };
}

/** Whether a $batch payload holds a write, for faults that hit a whole $batch answer. */
export function batchHasWrite(body: unknown): boolean {
  const requests = (body as { requests?: unknown } | null)?.requests;
  return (
    Array.isArray(requests) &&
    requests.some(
      (r: unknown) =>
        typeof r === "object" &&
        r !== null &&
        typeof (r as { method?: unknown }).method === "string" &&
        isWrite((r as { method: string }).method),
    )
  );
}
