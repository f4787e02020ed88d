import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { createGraphClient } from "../../src/graph/create-graph-client.js";
import { isLicensectlError, type LicensectlError } from "../../src/model/errors.js";

async function rejection(promise: Promise<unknown>): Promise<LicensectlError> {
  try {
    await promise;
  } catch (error) {
    if (isLicensectlError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

function thrown(fn: () => unknown): LicensectlError {
  try {
    fn();
  } catch (error) {
    if (isLicensectlError(error)) return error;
    throw error;
  }
  throw new Error("expected a LicensectlError");
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("createGraphClient", () => {
  it("refuses --auth none for a non-loopback Graph URL", () => {
    const error = thrown(() =>
      createGraphClient({ cloud: "global", auth: "none", graphUrl: "https://graph.microsoft.com", env: {} }),
    );
    expect(error.code).toBe("auth-none-needs-emulator");
  });

  it("refuses to pair a credential with a non-Microsoft Graph URL", () => {
    const env = { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "very-secret-value" };
    const error = thrown(() =>
      createGraphClient({ cloud: "global", auth: "client-secret", graphUrl: "http://127.0.0.1:5555", env }),
    );
    expect(error.code).toBe("untrusted-graph-url");
    expect(error.message).not.toContain("very-secret-value");
  });

  it("names missing environment variables before any request", () => {
    const error = thrown(() => createGraphClient({ cloud: "usgov", auth: "client-secret", env: {} }));
    expect(error.code).toBe("auth-config-missing");
    expect(error.message).toMatch(/AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET/);
  });

  it("reports a missing certificate file by path", () => {
    const error = thrown(() =>
      createGraphClient({
        cloud: "global",
        auth: "client-certificate",
        env: {
          AZURE_TENANT_ID: "t",
          AZURE_CLIENT_ID: "c",
          AZURE_CLIENT_CERTIFICATE_PATH: "/nonexistent/app.pem",
        },
      }),
    );
    expect(error.message).toContain("/nonexistent/app.pem");
  });

  it("describes itself without secrets and appends /v1.0", () => {
    const connection = createGraphClient({
      cloud: "china",
      auth: "client-secret",
      tenantId: "8f1b1c2e-0000-4000-8000-000000000000",
      env: { AZURE_TENANT_ID: "ignored", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "very-secret-value" },
    });
    expect(connection.graphRoot).toBe("https://microsoftgraph.chinacloudapi.cn");
    expect(connection.baseUrl).toBe("https://microsoftgraph.chinacloudapi.cn/v1.0");
    expect(connection.describe()).toContain("tenant 8f1b1c2e-0000-4000-8000-000000000000");
    expect(connection.describe()).not.toContain("very-secret-value");
    expect(connection.requestCount()).toBe(0);
  });

  it("turns a refused connection into a network error naming the URL, and counts it", async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const connection = createGraphClient({
      cloud: "global",
      auth: "none",
      graphUrl: `http://127.0.0.1:${port}`,
      env: {},
      verbose: (line) => lines.push(line),
    });
    const error = await rejection(connection.send({ method: "GET", url: "/organization" }));
    expect(error.code).toBe("network-error");
    expect(error.message).toContain(`http://127.0.0.1:${port}/v1.0/organization`);
    expect(error.message).toContain("ECONNREFUSED");
    expect(connection.requestCount()).toBe(1);
    expect(lines[0]).toMatch(/^GET \/v1\.0\/organization failed after \d+ ms$/);
  });

  it("refuses to follow a link to another host", async () => {
    const connection = createGraphClient({
      cloud: "global",
      auth: "none",
      graphUrl: "http://127.0.0.1:9",
      env: {},
    });
    const error = await rejection(
      connection.send({ method: "GET", url: "http://127.0.0.2:9/v1.0/users?$skiptoken=x" }),
    );
    expect(error.code).toBe("untrusted-graph-url");
    expect(connection.requestCount()).toBe(0);
  });

  const azureCliInstalled = spawnSync("az", ["--version"], { stdio: "ignore" }).error === undefined;

  it.skipIf(azureCliInstalled)(
    "reports a credential that cannot produce a token as auth-failed with a hint, sending nothing",
    async () => {
      // Without the Azure CLI, AzureCliCredential fails locally, before any request.
      const connection = createGraphClient({ cloud: "global", auth: "azure-cli", env: {} });
      const error = await rejection(connection.send({ method: "GET", url: "/organization" }));
      expect(error.code).toBe("auth-failed");
      expect(error.hint).toContain("az login");
      expect(connection.requestCount()).toBe(0);
    },
  );
});
