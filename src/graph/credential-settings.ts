import { LicensectlError } from "../model/errors.js";

/** The credentials licensectl can sign in with; `none` only reaches a loopback emulator. */
export const AUTH_METHODS = [
  "default",
  "azure-cli",
  "workload-identity",
  "azure-pipelines",
  "managed-identity",
  "client-secret",
  "client-certificate",
  "none",
] as const;
/** One of AUTH_METHODS: how licensectl signs in. */
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What a credential needs, read and checked from the environment before any
 * network call. Pure, so every rule is testable offline.
 */
export type CredentialSettings =
  | { readonly method: "none" }
  | { readonly method: "default"; readonly tenantId?: string; readonly clientId?: string }
  | { readonly method: "azure-cli"; readonly tenantId?: string }
  | { readonly method: "managed-identity"; readonly clientId?: string }
  | {
      readonly method: "client-secret";
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | {
      readonly method: "client-certificate";
      readonly tenantId: string;
      readonly clientId: string;
      readonly certificatePath: string;
      readonly certificatePassword?: string;
    }
  | {
      readonly method: "azure-pipelines";
      readonly tenantId: string;
      readonly clientId: string;
      /** The id (not the name) of the Azure Resource Manager service connection. */
      readonly serviceConnectionId: string;
      /** The job's System.AccessToken, which lets the credential ask Azure DevOps for an OIDC token. */
      readonly systemAccessToken: string;
    }
  | {
      readonly method: "workload-identity";
      readonly tenantId: string;
      readonly clientId: string;
      /** Federated token from a file (Kubernetes, Azure DevOps with a file, any OIDC issuer). */
      readonly tokenFile?: string;
      /** GitHub Actions OIDC: the token is requested from the runner. */
      readonly github?: {
        readonly requestUrl: string;
        readonly requestToken: string;
        readonly audience: string;
      };
    };

/** Azure's default audience for federated tokens exchanged with Entra ID. */
export const DEFAULT_FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

/**
 * The value of `name` in `env`, or undefined when it is unset or blank. CI
 * systems turn an unset variable into "" (GitHub's `${{ vars.X }}`, Azure
 * DevOps' macro syntax), so an empty value must mean "not set" everywhere a
 * credential setting is read, or documented fallbacks never happen.
 */
export function envValue(env: Env, name: string): string | undefined {
  return nonBlank(env[name]);
}

/** `text`, or undefined when it is undefined or only whitespace. */
export function nonBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text;
}

const value = envValue;

function missing(method: AuthMethod, names: readonly string[], note = ""): LicensectlError {
  const list = names.join(", ");
  return new LicensectlError(
    "auth-config-missing",
    `--auth ${method} needs ${names.length === 1 ? "the environment variable" : "the environment variables"} ${list}${note}`,
    {
      hint: `Set ${list}${names.includes("AZURE_TENANT_ID") ? " (or pass --tenant-id instead of AZURE_TENANT_ID)" : ""}, or choose another method with --auth.`,
    },
  );
}

/**
 * Reads the settings for `method` from `env`; `tenantIdOption` (--tenant-id)
 * wins over AZURE_TENANT_ID. Throws a LicensectlError naming every variable
 * still to set.
 */
export function readCredentialSettings(
  method: AuthMethod,
  env: Env,
  tenantIdOption?: string,
): CredentialSettings {
  const tenantId = nonBlank(tenantIdOption) ?? value(env, "AZURE_TENANT_ID");
  const clientId = value(env, "AZURE_CLIENT_ID");
  const need = (names: readonly [string, string | undefined][], note?: string): void => {
    const absent = names.filter(([, v]) => v === undefined).map(([n]) => n);
    if (absent.length > 0) throw missing(method, absent, note);
  };
  switch (method) {
    case "none":
      return { method };
    case "default":
      return { method, ...(tenantId ? { tenantId } : {}), ...(clientId ? { clientId } : {}) };
    case "azure-cli":
      return { method, ...(tenantId ? { tenantId } : {}) };
    case "managed-identity":
      return { method, ...(clientId ? { clientId } : {}) };
    case "client-secret": {
      const clientSecret = value(env, "AZURE_CLIENT_SECRET");
      need([
        ["AZURE_TENANT_ID", tenantId],
        ["AZURE_CLIENT_ID", clientId],
        ["AZURE_CLIENT_SECRET", clientSecret],
      ]);
      return { method, tenantId: tenantId!, clientId: clientId!, clientSecret: clientSecret! };
    }
    case "client-certificate": {
      const certificatePath = value(env, "AZURE_CLIENT_CERTIFICATE_PATH");
      const certificatePassword = value(env, "AZURE_CLIENT_CERTIFICATE_PASSWORD");
      need([
        ["AZURE_TENANT_ID", tenantId],
        ["AZURE_CLIENT_ID", clientId],
        ["AZURE_CLIENT_CERTIFICATE_PATH", certificatePath],
      ]);
      return {
        method,
        tenantId: tenantId!,
        clientId: clientId!,
        certificatePath: certificatePath!,
        ...(certificatePassword ? { certificatePassword } : {}),
      };
    }
    case "azure-pipelines": {
      const serviceConnectionId = value(env, "AZURE_SERVICE_CONNECTION_ID");
      const systemAccessToken = value(env, "SYSTEM_ACCESSTOKEN");
      need(
        [
          ["AZURE_TENANT_ID", tenantId],
          ["AZURE_CLIENT_ID", clientId],
          ["AZURE_SERVICE_CONNECTION_ID", serviceConnectionId],
          ["SYSTEM_ACCESSTOKEN", systemAccessToken],
          // Set by the Azure Pipelines agent; the credential asks this endpoint for each OIDC token.
          ["SYSTEM_OIDCREQUESTURI", value(env, "SYSTEM_OIDCREQUESTURI")],
        ],
        " (SYSTEM_ACCESSTOKEN is not in a script's environment unless the step maps it: `env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)`; SYSTEM_OIDCREQUESTURI is set by the Azure Pipelines agent)",
      );
      return {
        method,
        tenantId: tenantId!,
        clientId: clientId!,
        serviceConnectionId: serviceConnectionId!,
        systemAccessToken: systemAccessToken!,
      };
    }
    case "workload-identity": {
      const tokenFile = value(env, "AZURE_FEDERATED_TOKEN_FILE");
      const requestUrl = value(env, "ACTIONS_ID_TOKEN_REQUEST_URL");
      const requestToken = value(env, "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
      need([
        ["AZURE_TENANT_ID", tenantId],
        ["AZURE_CLIENT_ID", clientId],
      ]);
      if (tokenFile !== undefined) return { method, tenantId: tenantId!, clientId: clientId!, tokenFile };
      if (requestUrl !== undefined && requestToken !== undefined) {
        const audience = value(env, "AZURE_FEDERATED_TOKEN_AUDIENCE") ?? DEFAULT_FEDERATION_AUDIENCE;
        return {
          method,
          tenantId: tenantId!,
          clientId: clientId!,
          github: { requestUrl, requestToken, audience },
        };
      }
      throw missing(
        method,
        ["AZURE_FEDERATED_TOKEN_FILE"],
        " (or, in GitHub Actions, ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, which the runner sets when the job has `permissions: id-token: write`)",
      );
    }
  }
}

/** What to check when a token cannot be obtained, per method. Never mentions secret values. */
export const AUTH_FAILURE_HINTS: Readonly<Record<AuthMethod, string>> = {
  default:
    "Sign in with `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or pick a method explicitly with --auth.",
  "azure-cli":
    "Run `az login` (with --tenant for the right tenant) and check `az account show`; for a national cloud run `az cloud set` first.",
  "azure-pipelines":
    "Check that AZURE_SERVICE_CONNECTION_ID is the id of a workload identity federation service connection this job may use (its checks passed), that AZURE_CLIENT_ID is that connection's app, and that the app has the Microsoft Graph permissions licensectl needs.",
  "workload-identity":
    "Check that the app registration (AZURE_CLIENT_ID) has a federated credential whose issuer, subject and audience match this workload; in GitHub Actions the job needs `permissions: id-token: write`; a token file must exist and be fresh.",
  "managed-identity":
    "Run on an Azure resource with a managed identity enabled; for a user-assigned identity set AZURE_CLIENT_ID to its client id.",
  "client-secret":
    "Check that AZURE_CLIENT_SECRET is a current secret value (not its id; secrets expire) of the app AZURE_CLIENT_ID in tenant AZURE_TENANT_ID.",
  "client-certificate":
    "Check that AZURE_CLIENT_CERTIFICATE_PATH is a PEM file holding the certificate and its private key (password in AZURE_CLIENT_CERTIFICATE_PASSWORD), uploaded to the app registration and not expired.",
  none: "--auth none sends no token; use it only with the emulator.",
};
