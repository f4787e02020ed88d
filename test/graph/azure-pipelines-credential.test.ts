import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createCredential } from "../../src/graph/credentials.js";
import { isLicensectlError, type LicensectlError } from "../../src/model/errors.js";

/**
 * --auth azure-pipelines builds @azure/identity's AzurePipelinesCredential,
 * which asks Azure DevOps (SYSTEM_OIDCREQUESTURI) for a new OIDC token for the
 * service connection each time Entra needs one. The credential reads that
 * URL from process.env and only talks https, so pointing it at a plain-http
 * loopback address shows, without any network, which endpoint and service
 * connection it would ask, and that the failure is reported without the
 * System.AccessToken.
 */
const saved = process.env.SYSTEM_OIDCREQUESTURI;
afterEach(() => {
  if (saved === undefined) delete process.env.SYSTEM_OIDCREQUESTURI;
  else process.env.SYSTEM_OIDCREQUESTURI = saved;
});

async function rejection(promise: Promise<unknown>): Promise<LicensectlError> {
  try {
    await promise;
  } catch (error) {
    if (isLicensectlError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("--auth azure-pipelines", () => {
  it("asks the Azure DevOps OIDC endpoint for the service connection, and scrubs the access token", async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? "");
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    process.env.SYSTEM_OIDCREQUESTURI = `http://127.0.0.1:${port}/oidctoken`;
    try {
      const credential = createCredential(
        {
          method: "azure-pipelines",
          tenantId: "8f1b1c2e-0000-4000-8000-000000000000",
          clientId: "11111111-2222-4333-8444-555555555555",
          serviceConnectionId: "0f0e0d0c-0000-4000-8000-00000000beef",
          systemAccessToken: "system-access-token-value",
        },
        "https://login.microsoftonline.com",
      );
      const error = await rejection(credential!.getToken("https://graph.microsoft.com/.default"));
      expect(error.code).toBe("auth-failed");
      expect(error.message).toContain("--auth azure-pipelines");
      expect(error.message).toContain(
        `127.0.0.1:${port}/oidctoken?api-version=7.1&serviceConnectionId=0f0e0d0c-0000-4000-8000-00000000beef`,
      );
      expect(error.message).not.toContain("system-access-token-value");
      expect(error.hint).toContain("AZURE_SERVICE_CONNECTION_ID");
      // Refused before sending: the credential never talks to a plain-http endpoint.
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });
});
