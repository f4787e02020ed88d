import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { LicensectlError } from "../model/errors.js";
import { graphScope, type CloudName } from "./clouds.js";
import { envValue, readCredentialSettings, type AuthMethod } from "./credential-settings.js";
import { createCredential } from "./credentials.js";
import { EmulatorTokenMiddleware } from "./emulator-token.js";
import { NodeHttpMessageHandler, receivedBody } from "./node-http-handler.js";
import { networkFailure } from "./graph-errors.js";
import { resolveGraphTarget } from "./graph-url-trust.js";
import { RequestCountingMiddleware } from "./request-middleware.js";

/** How to reach Graph: the global options plus the environment they are read with. */
export interface GraphConnectionOptions {
  readonly cloud: CloudName;
  /** Graph root (no version), e.g. the emulator's `http://127.0.0.1:5555`. */
  readonly graphUrl?: string;
  readonly auth: AuthMethod;
  /** --tenant-id; wins over AZURE_TENANT_ID. */
  readonly tenantId?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** One line per HTTP request (method, path, status, ms) for --verbose. */
  readonly verbose?: (line: string) => void;
}

/** One HTTP request to Graph. `url` is relative to `/v1.0` or an absolute `@odata.nextLink`. */
export interface GraphHttpRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Whether the SDK's RetryHandler retries 429/503/504 for this request
   * (default true). The writer turns it off to run its own bounded retries.
   */
  readonly sdkRetry?: boolean;
  /**
   * Hand a 2xx body back as its bytes (a Uint8Array), unparsed: for pages
   * parsed off the main thread. Other answers are parsed as always.
   */
  readonly raw?: boolean;
}

/** Graph's answer, whatever the status; the body is parsed JSON, or undefined when empty (bytes for a `raw` request's 2xx). */
export interface GraphHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A configured way to talk to Graph; the only object that reaches the network. */
export interface GraphConnection {
  /** The Graph SDK client, with licensectl's middleware chain. */
  readonly client: Client;
  /** Graph root without version. */
  readonly graphRoot: string;
  /** `${graphRoot}/v1.0`: what request paths are relative to. */
  readonly baseUrl: string;
  /** HTTP requests sent so far (each retry counts), for tests and benchmarks. */
  requestCount(): number;
  /** Where and how licensectl connects, for logs; never secrets. */
  describe(): string;
  /** Sends one request through the same middleware chain as `client`. Network failures throw `network-error`. */
  send(request: GraphHttpRequest): Promise<GraphHttpResponse>;
}

/**
 * SDK retry policy for whole requests: 429/503/504 honouring Retry-After,
 * else exponential backoff from 1 s, at most 5 times.
 */
const SDK_RETRY_DELAY_SECONDS = 1;
const SDK_MAX_RETRIES = 5;

/**
 * Checks the options (URL trust, environment), builds the credential and the
 * middleware chain. Makes no network call: credentials fetch tokens lazily.
 */
export function createGraphClient(options: GraphConnectionOptions): GraphConnection {
  const target = resolveGraphTarget({ cloud: options.cloud, graphUrl: options.graphUrl, auth: options.auth });
  const settings = readCredentialSettings(options.auth, options.env, options.tenantId);
  const credential = createCredential(settings, target.cloud.authorityHost);

  const noSdkRetry = new WeakSet<object>();
  const counter = new RequestCountingMiddleware(options.verbose);
  const chain: Middleware[] = [];
  if (credential !== undefined) {
    chain.push(
      new AuthenticationHandler(
        new TokenCredentialAuthenticationProvider(credential, { scopes: [graphScope(target.graphRoot)] }),
      ),
    );
  } else if (target.loopback) {
    // An emulator of several tenants asks for a token (its own, never a credential) to tell them apart.
    const tenantId = options.tenantId ?? envValue(options.env, "AZURE_TENANT_ID");
    chain.push(new EmulatorTokenMiddleware(new URL(target.graphRoot).origin, tenantId));
  }
  chain.push(
    new RetryHandler(
      new RetryHandlerOptions(
        SDK_RETRY_DELAY_SECONDS,
        SDK_MAX_RETRIES,
        (_delay, _attempt, _request, fetchOptions) =>
          fetchOptions === undefined ? true : !noSdkRetry.has(fetchOptions),
      ),
    ),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    counter,
    new NodeHttpMessageHandler(),
  );
  for (let i = 0; i < chain.length - 1; i += 1) chain[i]!.setNext!(chain[i + 1]!);

  const client = Client.initWithMiddleware({
    middleware: chain,
    baseUrl: target.graphRoot,
    defaultVersion: "v1.0",
  });
  const baseUrl = `${target.graphRoot}/v1.0`;
  const origin = new URL(target.graphRoot).origin;
  const tenant =
    "tenantId" in settings && settings.tenantId !== undefined ? `, tenant ${settings.tenantId}` : "";
  const description =
    options.auth === "none"
      ? `Graph emulator at ${target.graphRoot} (no credential)`
      : `Microsoft Graph ${target.graphRoot} (cloud ${target.cloud.name}, auth ${options.auth}${tenant})`;

  const absoluteUrl = (url: string): string => {
    if (/^https?:\/\//i.test(url)) {
      // nextLinks are followed verbatim, but only on the host we trust with the token.
      if (new URL(url).origin !== origin) {
        throw new LicensectlError(
          "untrusted-graph-url",
          `Graph returned a link to ${new URL(url).origin}, not ${origin}`,
          {
            hint: "licensectl only follows links on the Graph root it was given; report this if it happens against Microsoft Graph.",
            source: "internal",
          },
        );
      }
      return url;
    }
    return `${baseUrl}${url.startsWith("/") ? "" : "/"}${url}`;
  };

  const send = async (request: GraphHttpRequest): Promise<GraphHttpResponse> => {
    const url = absoluteUrl(request.url);
    const headers: Record<string, string> = { Accept: "application/json", ...request.headers };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers["Content-Type"] ??= "application/json";
    }
    const fetchOptions = { method: request.method, headers, ...(body !== undefined ? { body } : {}) };
    if (request.sdkRetry === false) noSdkRetry.add(fetchOptions);
    const context: Context = { request: url, options: fetchOptions };
    await chain[0]!.execute(context);
    const response = context.response;
    if (response === undefined) {
      throw new LicensectlError("internal-error", `No response object for ${request.method} ${url}`, {
        source: "internal",
      });
    }
    let parsed: unknown;
    try {
      parsed =
        request.raw === true && response.status >= 200 && response.status < 300
          ? (receivedBody(response) ?? new Uint8Array(await response.arrayBuffer()))
          : await readBody(response);
    } catch (error) {
      throw networkFailure(request.method, url, error);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  return {
    client,
    graphRoot: target.graphRoot,
    baseUrl,
    requestCount: () => counter.count,
    describe: () => description,
    send,
  };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
