import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator, type TenantFixture } from "../../src/emulator/index.js";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { isLicensectlError } from "../../src/model/errors.js";
import { smallTenant, TENANT_ID } from "./helpers.js";

const FABRIKAM = "7b0c2d4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
const UNKNOWN = "00000000-0000-4000-8000-00000000dead";

function fabrikam(): TenantFixture {
  const base = smallTenant();
  return {
    ...base,
    tenant: { ...base.tenant, id: FABRIKAM, displayName: "Fabrikam", domains: ["fabrikam.com"] },
    users: [{ upn: "megan.bowen@fabrikam.com", usageLocation: "US" }],
    groups: [],
  };
}

async function token(url: string, tenant: string): Promise<Response> {
  return fetch(`${url}/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=app&client_secret=s&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
  });
}

describe("an emulator of several tenants", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      tenants: [fabrikam()],
      groupProcessingDelayMs: 0,
    });
  });
  afterAll(() => emulator.stop());

  it("issues a token bound to the tenant of the authority path, and serves that tenant's store to it", async () => {
    expect(emulator.tenantIds).toEqual([TENANT_ID, FABRIKAM]);
    for (const [tenant, name] of [
      [TENANT_ID, "Contoso"],
      [FABRIKAM.toUpperCase(), "Fabrikam"],
    ] as const) {
      const answer = await token(emulator.url, tenant);
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { token_type: string; access_token: string };
      expect(body.token_type).toBe("Bearer");
      const org = await fetch(`${emulator.url}/v1.0/organization`, {
        headers: { Authorization: `Bearer ${body.access_token}` },
      });
      expect(org.status).toBe(200);
      const value = ((await org.json()) as { value: { id: string; displayName: string }[] }).value;
      expect(value[0]!.displayName).toBe(name);
      expect(value[0]!.id).toBe(tenant.toLowerCase());
    }
  });

  it("answers a tenant it does not hold as Entra ID does (AADSTS90002)", async () => {
    const answer = await token(emulator.url, UNKNOWN);
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: string; error_description: string; error_codes: number[] };
    expect(body.error).toBe("invalid_request");
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(new RegExp(`^AADSTS90002: Tenant '${UNKNOWN}' not found`));
  });

  it("refuses a Graph request without a token with Graph's 401 and challenge", async () => {
    const answer = await fetch(`${emulator.url}/v1.0/users`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toContain(`authorization_uri="${emulator.url}/`);
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({
      code: "InvalidAuthenticationToken",
      message: "Access token is empty.",
    });
    const garbled = await fetch(`${emulator.url}/v1.0/users`, { headers: { Authorization: "Bearer nope" } });
    expect(garbled.status).toBe(401);
  });

  it("lets licensectl with --auth none reach the tenant it names, and fail for a tenant it does not hold", async () => {
    for (const [tenantId, upn] of [
      [TENANT_ID, "adele.vance@contoso.com"],
      [FABRIKAM, "megan.bowen@fabrikam.com"],
    ] as const) {
      const connection = createGraphClient({
        cloud: "global",
        auth: "none",
        graphUrl: emulator.url,
        tenantId,
        env: {},
      });
      const users = (await connection.client.api("/users").select("userPrincipalName").get()) as {
        value: { userPrincipalName: string }[];
      };
      expect(users.value.map((u) => u.userPrincipalName)).toContain(upn);
    }
    const wrong = createGraphClient({
      cloud: "global",
      auth: "none",
      graphUrl: emulator.url,
      tenantId: UNKNOWN,
      env: {},
    });
    const error = await wrong.send({ method: "GET", url: "/organization" }).catch((e: unknown) => e);
    expect(isLicensectlError(error) && error.code).toBe("auth-failed");
    expect(String((error as Error).message)).toContain(`AADSTS90002: Tenant '${UNKNOWN}' not found`);
  });
});

describe("a single-tenant emulator", () => {
  it("still serves requests without a token, and issues tokens for its one tenant", async () => {
    const emulator = await startEmulator({ tenant: smallTenant() });
    try {
      expect((await fetch(`${emulator.url}/v1.0/organization`)).status).toBe(200);
      expect((await token(emulator.url, TENANT_ID)).status).toBe(200);
      expect((await token(emulator.url, UNKNOWN)).status).toBe(400);
    } finally {
      await emulator.stop();
    }
  });

  it("refuses two fixtures of one tenant", async () => {
    await expect(startEmulator({ tenant: smallTenant(), tenants: [smallTenant()] })).rejects.toThrow(
      /two tenant fixtures hold the same tenant id/,
    );
  });
});
