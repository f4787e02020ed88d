import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { LicensectlError } from "../model/errors.js";

/**
 * `--auth none` against an emulator that holds several tenants. Such an
 * emulator tells tenants apart as Graph does, by the tenant of the access
 * token, and answers a request without one with Graph's 401 and its
 * `WWW-Authenticate` challenge. Only when that challenge names the same
 * loopback origin does this middleware take a token for the tenant licensectl
 * works on from the emulator's own token endpoint
 * (`/{tenantId}/oauth2/v2.0/token`, client credentials, no secret) and send
 * the request again. No credential from the environment is ever sent, and a
 * single-tenant emulator (or anything else) never challenges, so no token is
 * taken there.
 */
export class EmulatorTokenMiddleware implements Middleware {
  private next: Middleware | undefined;
  private token: Promise<string> | undefined;

  constructor(
    /** The loopback Graph origin, e.g. http://127.0.0.1:5555. */
    private readonly origin: string,
    private readonly tenantId: string | undefined,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const sent = this.token;
    if (sent !== undefined) setAuthorization(context, await sent);
    await this.next!.execute(context);
    if (this.tenantId === undefined || context.response?.status !== 401) return;
    const uri = /authorization_uri="([^"]+)"/.exec(
      context.response.headers.get("www-authenticate") ?? "",
    )?.[1];
    if (uri === undefined || !URL.canParse(uri) || new URL(uri).origin !== this.origin) return;
    // Our own token refused: answer with the 401 rather than loop.
    if (sent !== undefined && this.token === sent) return;
    // Requests sent at once share the one token the first of them asks for.
    if (this.token === undefined) {
      const requested = this.requestToken(this.tenantId);
      this.token = requested;
      requested.catch(() => {
        if (this.token === requested) this.token = undefined;
      });
    }
    setAuthorization(context, await this.token);
    await this.next!.execute(context);
  }

  private async requestToken(tenantId: string): Promise<string> {
    const url = `${this.origin}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: "licensectl-emulator-client",
        scope: `${this.origin}/.default`,
      }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      error_description?: unknown;
    };
    if (!response.ok || typeof body.access_token !== "string") {
      const detail =
        typeof body.error_description === "string" ? body.error_description : `HTTP ${response.status}`;
      throw new LicensectlError(
        "auth-failed",
        `The Graph emulator at ${this.origin} gave no token for tenant ${tenantId}: ${detail.split(" Trace ID:")[0]}`,
        {
          hint: "Check the manifests' tenant.id (or --tenant-id): the emulator serves only the tenants of its fixtures.",
        },
      );
    }
    return body.access_token;
  }
}

function setAuthorization(context: Context, token: string): void {
  const options = (context.options ??= {});
  const value = `Bearer ${token}`;
  if (options.headers instanceof Headers) options.headers.set("Authorization", value);
  else if (Array.isArray(options.headers)) options.headers = [...options.headers, ["Authorization", value]];
  else options.headers = { ...(options.headers as Record<string, string> | undefined), Authorization: value };
  if (context.request instanceof Request) context.request.headers.set("Authorization", value);
}
