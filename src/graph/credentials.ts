import { existsSync } from "node:fs";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import {
  AzureCliCredential,
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { LicensectlError, isLicensectlError } from "../model/errors.js";
import { AUTH_FAILURE_HINTS, type AuthMethod, type CredentialSettings } from "./credential-settings.js";

/**
 * Builds the @azure/identity credential for checked settings. Returns
 * undefined for `none`. Every credential is wrapped so that a failure to get
 * a token becomes `auth-failed` with a hint, with secrets scrubbed.
 */
export function createCredential(
  settings: CredentialSettings,
  authorityHost: string,
): TokenCredential | undefined {
  const secrets = secretValues(settings);
  let inner: TokenCredential | undefined;
  try {
    inner = buildCredential(settings, authorityHost);
  } catch (error) {
    // Some credentials check their environment when built (AzurePipelinesCredential
    // wants SYSTEM_OIDCREQUESTURI): that is a setup problem, not a bug.
    throw authFailure(settings.method, error, secrets);
  }
  if (inner === undefined) return undefined;
  return new GuardedCredential(inner, settings.method, secrets);
}

/** A failure of @azure/identity as `auth-failed`, with secrets scrubbed and the method's hint. */
function authFailure(method: AuthMethod, error: unknown, secrets: readonly string[]): LicensectlError {
  if (isLicensectlError(error)) return error;
  const detail = scrubSecrets(error instanceof Error ? error.message : String(error), secrets);
  return new LicensectlError(
    "auth-failed",
    `Could not get a Microsoft Graph token with --auth ${method}: ${detail}`,
    { hint: AUTH_FAILURE_HINTS[method] },
  );
}

function buildCredential(settings: CredentialSettings, authorityHost: string): TokenCredential | undefined {
  switch (settings.method) {
    case "none":
      return undefined;
    case "default":
      return new DefaultAzureCredential({
        authorityHost,
        ...(settings.tenantId !== undefined ? { tenantId: settings.tenantId } : {}),
        ...(settings.clientId !== undefined ? { managedIdentityClientId: settings.clientId } : {}),
      });
    case "azure-cli":
      return new AzureCliCredential(settings.tenantId !== undefined ? { tenantId: settings.tenantId } : {});
    case "managed-identity":
      return settings.clientId !== undefined
        ? new ManagedIdentityCredential({ clientId: settings.clientId })
        : new ManagedIdentityCredential();
    case "client-secret":
      return new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, {
        authorityHost,
      });
    case "client-certificate":
      if (!existsSync(settings.certificatePath)) {
        throw new LicensectlError(
          "auth-config-missing",
          `AZURE_CLIENT_CERTIFICATE_PATH points to ${settings.certificatePath}, which does not exist`,
          {
            hint: "Set AZURE_CLIENT_CERTIFICATE_PATH to a PEM file holding the certificate and its private key.",
          },
        );
      }
      return new ClientCertificateCredential(
        settings.tenantId,
        settings.clientId,
        {
          certificatePath: settings.certificatePath,
          ...(settings.certificatePassword !== undefined
            ? { certificatePassword: settings.certificatePassword }
            : {}),
        },
        { authorityHost },
      );
    case "azure-pipelines":
      // Asks Azure DevOps for a fresh OIDC token whenever Entra needs one, so a long apply keeps
      // working after the ~10-minute idToken of AzureCLI@2 has expired.
      return new AzurePipelinesCredential(
        settings.tenantId,
        settings.clientId,
        settings.serviceConnectionId,
        settings.systemAccessToken,
        { authorityHost },
      );
    case "workload-identity": {
      if (settings.tokenFile !== undefined) {
        return new WorkloadIdentityCredential({
          tenantId: settings.tenantId,
          clientId: settings.clientId,
          tokenFilePath: settings.tokenFile,
          authorityHost,
        });
      }
      const github = settings.github!;
      return new ClientAssertionCredential(
        settings.tenantId,
        settings.clientId,
        () => requestGitHubIdToken(github.requestUrl, github.requestToken, github.audience),
        { authorityHost },
      );
    }
  }
}

/**
 * Asks the GitHub Actions runner for an OIDC token for `audience`. A fresh one
 * each time: they live minutes, and MSAL caches the Entra token it buys.
 */
async function requestGitHubIdToken(
  requestUrl: string,
  requestToken: string,
  audience: string,
): Promise<string> {
  const url = new URL(requestUrl);
  url.searchParams.set("audience", audience);
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${requestToken}`, Accept: "application/json" },
  });
  if (!response.ok) {
    throw new Error(`the GitHub Actions runner refused an id token (HTTP ${response.status})`);
  }
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== "string") throw new Error("the GitHub Actions runner returned no id token");
  return body.value;
}

function secretValues(settings: CredentialSettings): string[] {
  switch (settings.method) {
    case "client-secret":
      return [settings.clientSecret];
    case "client-certificate":
      return settings.certificatePassword !== undefined ? [settings.certificatePassword] : [];
    case "azure-pipelines":
      return [settings.systemAccessToken];
    case "workload-identity":
      return settings.github !== undefined ? [settings.github.requestToken] : [];
    default:
      return [];
  }
}

/** Removes secret values from text that may echo them, and keeps it short. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  }
  const firstLines = out
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(0, 3)
    .join(" ");
  return firstLines.length > 500 ? `${firstLines.slice(0, 500)}...` : firstLines;
}

class GuardedCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    private readonly method: AuthMethod,
    private readonly secrets: readonly string[],
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    let token: AccessToken | null;
    try {
      token = await this.inner.getToken(scopes, options);
    } catch (error) {
      throw authFailure(this.method, error, this.secrets);
    }
    if (token === null) {
      throw new LicensectlError("auth-failed", `--auth ${this.method} returned no Microsoft Graph token`, {
        hint: AUTH_FAILURE_HINTS[this.method],
      });
    }
    return token;
  }
}
