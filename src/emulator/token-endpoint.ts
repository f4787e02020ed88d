import { randomUUID } from "node:crypto";
import { GraphError } from "./errors.js";

/**
 * The emulator's stand-in for the Microsoft identity platform's token
 * endpoint, so that one emulator can hold several tenants and tell their
 * requests apart as Graph does for a multi-tenant app: by the tenant of the
 * access token (its `tid` claim), which the authority path
 * `/{tenantId}/oauth2/v2.0/token` chose when the token was issued.
 *
 * The tokens are unsigned JWTs (`alg: none`): the emulator is a loopback
 * test double and never checks a client secret, but it does refuse a tenant
 * it does not hold, with the answer Entra ID gives for an unknown tenant
 * (AADSTS90002), and Graph requests without a usable token with Graph's 401.
 */

/** Graph's own application id, the audience Graph's 401 challenge names. */
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const TOKEN_LIFETIME_SECONDS = 3599;

/** An OAuth answer: not Graph's error envelope, but the identity platform's JSON. */
export interface OAuthResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Whether a path is the identity platform's (`/{tenant}/oauth2/...` or `/{tenant}/v2.0/.well-known/...`). */
export function isIdentityPath(pathname: string): boolean {
  return /^\/[^/]+\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration)$/.test(pathname);
}

/** `AADSTS90002`, as Entra ID answers a token request for a tenant that does not exist. */
function unknownTenant(tenant: string): OAuthResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status: 400,
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: {
      error: "invalid_request",
      error_description:
        `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are ` +
        `signing into the correct cloud. Check with your subscription administrator, this may happen if there ` +
        `are no active subscriptions for the tenant. Trace ID: ${traceId} Correlation ID: ${correlationId} ` +
        `Timestamp: ${new Date().toISOString().replace("T", " ").slice(0, 19)}Z`,
      error_codes: [90002],
      timestamp: new Date().toISOString().replace("T", " ").slice(0, 19) + "Z",
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: "https://login.microsoftonline.com/error?code=90002",
    },
  };
}

/**
 * Answers `POST /{tenant}/oauth2/v2.0/token` (client credentials) and the
 * tenant's OpenID configuration. `holds` maps a tenant id (any case) to the
 * id the emulator holds, or undefined.
 */
export function answerIdentityRequest(
  method: string,
  pathname: string,
  form: URLSearchParams,
  origin: string,
  holds: (tenant: string) => string | undefined,
): OAuthResponse {
  const tenant = decodeURIComponent(pathname.split("/")[1] ?? "");
  const held = holds(tenant);
  if (held === undefined) return unknownTenant(tenant);
  if (pathname.endsWith("/openid-configuration")) {
    return {
      status: 200,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: {
        issuer: `${origin}/${held}/v2.0`,
        token_endpoint: `${origin}/${held}/oauth2/v2.0/token`,
        authorization_endpoint: `${origin}/${held}/oauth2/v2.0/authorize`,
        tenant_region_scope: "WW",
      },
    };
  }
  if (method.toUpperCase() !== "POST" || form.get("grant_type") !== "client_credentials") {
    return {
      status: 400,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: {
        error: "unsupported_grant_type",
        error_description:
          "AADSTS70003: The app requested an unsupported grant type. The emulator issues tokens for the client credentials grant only.",
        error_codes: [70003],
      },
    };
  }
  const now = Math.floor(Date.now() / 1000);
  const appId = form.get("client_id") ?? "";
  const payload = {
    aud: "https://graph.microsoft.com",
    iss: `https://sts.windows.net/${held}/`,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    appid: appId,
    tid: held,
    roles: ["Directory.ReadWrite.All", "LicenseAssignment.ReadWrite.All"],
  };
  const accessToken = `${base64url({ typ: "JWT", alg: "none" })}.${base64url(payload)}.`;
  return {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: {
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
    },
  };
}

/** Graph's 401 for a request without a usable token, with its WWW-Authenticate challenge. */
export function invalidToken(message: string, origin: string): GraphError {
  return new GraphError(401, "InvalidAuthenticationToken", message, {
    headers: {
      "WWW-Authenticate": `Bearer realm="", authorization_uri="${origin}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
    },
  });
}

/**
 * The tenant a Graph request's bearer token was issued for, undefined when
 * the request carries no token. Throws Graph's 401 for a token that is not a
 * JWT or names no tenant.
 */
export function tokenTenant(authorization: string | undefined, origin: string): string | undefined {
  if (authorization === undefined || authorization.trim() === "") return undefined;
  const match = /^Bearer\s+([^.\s]+)\.([^.\s]+)\.[^\s]*$/i.exec(authorization.trim());
  if (!match) throw invalidToken("CompactToken parsing failed with error code: 80049217", origin);
  let claims: { tid?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(match[2]!, "base64url").toString("utf8")) as typeof claims;
  } catch {
    throw invalidToken("CompactToken parsing failed with error code: 80049217", origin);
  }
  if (typeof claims.tid !== "string")
    throw invalidToken("Access token validation failure. Invalid audience.", origin);
  if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now())
    throw invalidToken("Lifetime validation failed, the token is expired.", origin);
  return claims.tid;
}
