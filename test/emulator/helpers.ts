import { Client, GraphError as SdkGraphError } from "@microsoft/microsoft-graph-client";
import type { TenantFixture } from "../../src/emulator/index.js";

export const E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900";
export const E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";
export const EMS = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e";
export const EXO1 = "4b9405b0-7788-4568-add1-99614e613b69";
export const STORAGE = "99049c9c-6011-4908-bf17-15f496e6519d";
export const SWAY = "a23b959c-7ce8-4e57-9140-b90eb88a9e97";
export const YAMMER = "7547a3fe-08ee-4ccb-b430-5077c5041653";
export const SHAREPOINTWAC = "e95bec33-7c88-4a70-8e19-b10bd9d0c014";
export const SHAREPOINTENTERPRISE = "5dbe027f-2339-4123-9542-606e4d348a72";
export const TENANT_ID = "3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90";

/** A small tenant that exercises every licensing rule. */
export function smallTenant(): TenantFixture {
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: TENANT_ID,
      displayName: "Contoso",
      countryLetterCode: "US",
      domains: ["contoso.onmicrosoft.com", "contoso.com"],
    },
    skus: [
      { sku: "ENTERPRISEPACK", seats: 5 },
      { sku: "SPE_E5", seats: 2 },
      { sku: "EMS", seats: 10 },
      { sku: "EXCHANGESTANDARD", seats: 5 },
      { sku: "SHAREPOINTSTORAGE", seats: 1 },
    ],
    users: [
      {
        upn: "adele.vance@contoso.com",
        usageLocation: "US",
        licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }],
      },
      { upn: "alex.wilber@contoso.com", usageLocation: "GB" },
      { upn: "diego.siciliani@contoso.com" },
      { upn: "grady.archie@contoso.com", usageLocation: "US" },
      { upn: "henrietta.mueller@contoso.com", usageLocation: "DE" },
      { upn: "isaiah.langer@contoso.com", usageLocation: "US" },
    ],
    groups: [
      {
        name: "Sales",
        members: ["adele.vance@contoso.com", "diego.siciliani@contoso.com"],
        licenses: [{ sku: "EMS" }],
      },
      {
        name: "Engineering",
        members: ["grady.archie@contoso.com", "henrietta.mueller@contoso.com", "isaiah.langer@contoso.com"],
      },
    ],
    rules: {
      dependencies: [{ plan: "SHAREPOINTWAC", requires: ["SHAREPOINTENTERPRISE"] }],
      mutuallyExclusive: [["EXCHANGE_S_STANDARD", "EXCHANGE_S_ENTERPRISE"]],
    },
  };
}

/** Graph's JSON as tests read it: each test knows the shape it asked for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw answers of many shapes
type Json = any;

/** One plain HTTP request to the emulator's Graph API (no SDK): its status and parsed JSON body. */
export async function emulatorCall(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${url}/v1.0${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
}

/** The real Graph SDK pointed at the emulator (no credential: the emulator is not a Microsoft host). */
export function graphClient(url: string): Client {
  return Client.init({ baseUrl: url, defaultVersion: "v1.0", authProvider: (done) => done(null, "token") });
}

/** Runs a request that must fail and returns the SDK's GraphError. */
export async function graphFailure(run: () => Promise<unknown>): Promise<SdkGraphError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof SdkGraphError) return error;
    throw error;
  }
  throw new Error("the request succeeded but was expected to fail");
}

/** The SDK keeps the `error` member of Graph's envelope as JSON text in `body`; this rebuilds the envelope. */
export function errorBody(error: SdkGraphError): {
  error: { code: string; message: string; innerError: Record<string, string> };
} {
  return { error: JSON.parse(String(error.body)) as never };
}
