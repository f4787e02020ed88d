import type { LaggedView } from "./consistency.js";
import { methodNotAllowed } from "./errors.js";
import type { GroupProcessor } from "./group-processing.js";
import type { ODataQuery } from "./query.js";
import type { TenantStore } from "./tenant-store.js";

/** What routes need from the running emulator. */
export interface RouteContext {
  readonly store: TenantStore;
  readonly processor: GroupProcessor;
  /** What reads see: the store, or versions up to the consistency lag old. Writes use the store. */
  readonly view: LaggedView;
  /** The emulator's origin, e.g. http://127.0.0.1:5555 (for nextLink, Location, @odata.context). */
  readonly origin: string;
  /** EmulatorOptions.keepPages. */
  readonly keepPages?: boolean;
}

/** One Graph request, from HTTP or from inside a $batch. `path` is relative to /v1.0. */
export interface GraphRequest {
  readonly method: string;
  readonly path: string;
  readonly search: URLSearchParams;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

/**
 * A body already written as UTF-8 JSON (a page of users): sent as it is,
 * where other bodies go through JSON.stringify and then the encoder.
 */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}
}

/** The body as UTF-8 JSON bytes, for the wire. */
export const bodyBytes = (body: unknown): Buffer =>
  body instanceof JsonBytes ? body.bytes : Buffer.from(JSON.stringify(body));

/** The body as a value, for embedding in a larger answer (a `$batch`). */
export const bodyValue = (body: unknown): unknown =>
  body instanceof JsonBytes ? (JSON.parse(body.bytes.toString("utf8")) as unknown) : body;

export interface GraphResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A request matched to a route: its counter key (e.g. "POST /users/{id}/assignLicense"), whether it writes, and its handler. */
export interface MatchedRoute {
  readonly key: string;
  readonly write: boolean;
  run(): GraphResponse;
}

/** A matched request, split for the per-resource route files. */
export interface RouteInput {
  readonly ctx: RouteContext;
  readonly req: GraphRequest;
  readonly query: ODataQuery;
  /** Path segments after the resource: id, navigation, cast. */
  readonly id: string | undefined;
  readonly sub: string | undefined;
  readonly cast: string | undefined;
}

type Handlers = Partial<Record<string, { readonly write?: boolean; readonly run: () => GraphResponse }>>;

/** Picks the handler for the request's method, or Graph's 405. */
export function route(req: GraphRequest, template: string, handlers: Handlers): MatchedRoute {
  const method = req.method.toUpperCase();
  const handler = handlers[method];
  if (!handler) throw methodNotAllowed();
  return { key: `${method} ${template}`, write: handler.write ?? false, run: handler.run };
}

export const JSON_CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export const ok = (body: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse => ({
  status,
  headers: { "Content-Type": JSON_CONTENT_TYPE, ...headers },
  body,
});

/** OData options the directory collections take. */
export const COLLECTION_OPTIONS = ["$select", "$filter", "$top", "$count", "$skiptoken", "$orderby"];

/** @odata.context as Graph writes it, with the $select list when there is one. */
export function odataContext(origin: string, entitySet: string, query: ODataQuery, suffix = ""): string {
  const select = query.select && !query.select.includes("*") ? `(${query.select.join(",")})` : "";
  return `${origin}/v1.0/$metadata#${entitySet}${select}${suffix}`;
}

const COMMA = 0x2c;
const CLOSE = Buffer.from("]}");

/**
 * {@link collection}'s JSON around items already written as JSON text,
 * encoded straight into one buffer of the exact size (no page string built
 * and then encoded).
 */
export function collectionBytes(
  page: { items: readonly string[]; nextLink?: string; count?: number },
  context: string,
): JsonBytes {
  let head = `{"@odata.context":${JSON.stringify(context)}`;
  if (page.count !== undefined) head += `,"@odata.count":${page.count}`;
  if (page.nextLink) head += `,"@odata.nextLink":${JSON.stringify(page.nextLink)}`;
  head += `,"value":[`;
  const items = page.items;
  let size = Buffer.byteLength(head) + CLOSE.length + Math.max(0, items.length - 1);
  for (let i = 0; i < items.length; i += 1) size += Buffer.byteLength(items[i]!);
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0);
  for (let i = 0; i < items.length; i += 1) {
    if (i > 0) out[at++] = COMMA;
    at += out.write(items[i]!, at);
  }
  CLOSE.copy(out, at);
  return new JsonBytes(out);
}

export function collection(
  page: { items: readonly unknown[]; nextLink?: string; count?: number },
  context: string,
) {
  return {
    "@odata.context": context,
    ...(page.count !== undefined ? { "@odata.count": page.count } : {}),
    ...(page.nextLink ? { "@odata.nextLink": page.nextLink } : {}),
    value: page.items,
  };
}
