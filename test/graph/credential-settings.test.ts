import { describe, expect, it } from "vitest";
import { readCredentialSettings, DEFAULT_FEDERATION_AUDIENCE } from "../../src/graph/credential-settings.js";
import { scrubSecrets } from "../../src/graph/credentials.js";
import { isLicensectlError } from "../../src/model/errors.js";

const TENANT = "8f1b1c2e-0000-4000-8000-000000000000";
const CLIENT = "11111111-2222-4333-8444-555555555555";

function failure(fn: () => unknown): { code: string; message: string; hint: string } {
  try {
    fn();
  } catch (error) {
    if (isLicensectlError(error)) return { code: error.code, message: error.message, hint: error.hint ?? "" };
    throw error;
  }
  throw new Error("expected a LicensectlError");
}

describe("credential settings from the environment", () => {
  it("names every missing variable for client-secret", () => {
    const error = failure(() => readCredentialSettings("client-secret", { AZURE_CLIENT_ID: CLIENT }));
    expect(error.code).toBe("auth-config-missing");
    expect(error.message).toContain("AZURE_TENANT_ID");
    expect(error.message).toContain("AZURE_CLIENT_SECRET");
    expect(error.message).not.toContain("AZURE_CLIENT_ID,");
    expect(error.hint).toContain("--tenant-id");
  });

  it("treats blank variables as missing", () => {
    const error = failure(() =>
      readCredentialSettings("client-secret", {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT,
        AZURE_CLIENT_SECRET: " ",
      }),
    );
    expect(error.message).toContain("AZURE_CLIENT_SECRET");
  });

  it("lets --tenant-id win over AZURE_TENANT_ID", () => {
    const settings = readCredentialSettings(
      "client-secret",
      { AZURE_TENANT_ID: "other", AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: "s3cret-value" },
      TENANT,
    );
    expect(settings).toEqual({
      method: "client-secret",
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: "s3cret-value",
    });
    expect(readCredentialSettings("azure-cli", { AZURE_TENANT_ID: "other" }, TENANT)).toEqual({
      method: "azure-cli",
      tenantId: TENANT,
    });
  });

  it("reads a certificate path and optional password", () => {
    expect(
      failure(() =>
        readCredentialSettings("client-certificate", { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT }),
      ).message,
    ).toContain("AZURE_CLIENT_CERTIFICATE_PATH");
    expect(
      readCredentialSettings("client-certificate", {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT,
        AZURE_CLIENT_CERTIFICATE_PATH: "/certs/app.pem",
        AZURE_CLIENT_CERTIFICATE_PASSWORD: "pw",
      }),
    ).toMatchObject({ certificatePath: "/certs/app.pem", certificatePassword: "pw" });
  });

  it("prefers a federated token file, then GitHub Actions OIDC, for workload identity", () => {
    const base = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT };
    const github = {
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://runner.example/token?x=1",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "rt",
    };
    expect(
      readCredentialSettings("workload-identity", {
        ...base,
        ...github,
        AZURE_FEDERATED_TOKEN_FILE: "/var/run/token",
      }),
    ).toEqual({
      method: "workload-identity",
      tenantId: TENANT,
      clientId: CLIENT,
      tokenFile: "/var/run/token",
    });
    expect(readCredentialSettings("workload-identity", { ...base, ...github })).toMatchObject({
      github: {
        requestUrl: github.ACTIONS_ID_TOKEN_REQUEST_URL,
        requestToken: "rt",
        audience: DEFAULT_FEDERATION_AUDIENCE,
      },
    });
    const error = failure(() => readCredentialSettings("workload-identity", base));
    expect(error.message).toContain("AZURE_FEDERATED_TOKEN_FILE");
    expect(error.message).toContain("id-token: write");
  });

  it("reads the service connection and System.AccessToken for azure-pipelines", () => {
    const complete = {
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
      AZURE_SERVICE_CONNECTION_ID: "0f0e0d0c-0000-4000-8000-00000000beef",
      SYSTEM_ACCESSTOKEN: "job-token",
      SYSTEM_OIDCREQUESTURI:
        "https://dev.azure.com/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
    };
    expect(readCredentialSettings("azure-pipelines", complete)).toEqual({
      method: "azure-pipelines",
      tenantId: TENANT,
      clientId: CLIENT,
      serviceConnectionId: "0f0e0d0c-0000-4000-8000-00000000beef",
      systemAccessToken: "job-token",
    });
    // An unmapped $(System.AccessToken) and an undefined variable both arrive empty.
    const error = failure(() =>
      readCredentialSettings("azure-pipelines", {
        ...complete,
        SYSTEM_ACCESSTOKEN: "",
        AZURE_SERVICE_CONNECTION_ID: "",
        SYSTEM_OIDCREQUESTURI: undefined,
      }),
    );
    expect(error.code).toBe("auth-config-missing");
    expect(error.message).toContain("AZURE_SERVICE_CONNECTION_ID, SYSTEM_ACCESSTOKEN, SYSTEM_OIDCREQUESTURI");
    expect(error.message).toContain("SYSTEM_ACCESSTOKEN: $(System.AccessToken)");
    expect(error.message).not.toContain("AZURE_CLIENT_ID");
    // The tenant may come from --tenant-id (or the manifests, through connectToGraph).
    const { AZURE_TENANT_ID: _unused, ...withoutTenant } = complete;
    expect(readCredentialSettings("azure-pipelines", withoutTenant, TENANT)).toMatchObject({
      tenantId: TENANT,
    });
  });

  it("treats an empty tenant option as unset", () => {
    expect(readCredentialSettings("azure-cli", { AZURE_TENANT_ID: TENANT }, "")).toEqual({
      method: "azure-cli",
      tenantId: TENANT,
    });
  });

  it("needs nothing for default, azure-cli, managed identity and none", () => {
    expect(readCredentialSettings("default", {})).toEqual({ method: "default" });
    expect(readCredentialSettings("managed-identity", { AZURE_CLIENT_ID: CLIENT })).toEqual({
      method: "managed-identity",
      clientId: CLIENT,
    });
    expect(readCredentialSettings("managed-identity", {})).toEqual({ method: "managed-identity" });
    expect(readCredentialSettings("none", { AZURE_CLIENT_SECRET: "x" })).toEqual({ method: "none" });
  });

  it("scrubs secret values out of identity error messages", () => {
    const text =
      "AADSTS7000215: Invalid client secret provided: s3cret-value\nTrace ID: 1\nCorrelation ID: 2\nTimestamp: 3";
    const scrubbed = scrubSecrets(text, ["s3cret-value"]);
    expect(scrubbed).not.toContain("s3cret-value");
    expect(scrubbed).toContain("AADSTS7000215");
    expect(scrubbed).toContain("[REDACTED]");
  });
});
