import { describe, expect, it } from "vitest";
import type { GlobalOptions } from "../../src/cli/global-options.js";
import { connectToGraph } from "../../src/workflow/connect.js";

/**
 * Which tenant licensectl signs in to. In CI an undefined repository
 * variable arrives as AZURE_TENANT_ID="" (GitHub's `${{ vars.X }}`), which
 * must count as unset so that the manifests' tenant.id is used.
 */
const MANIFEST_TENANT = "8f1b1c2e-0000-4000-8000-000000000000";
const ENV_TENANT = "22222222-0000-4000-8000-000000000000";
const globals: GlobalOptions = {
  cloud: "global",
  auth: "workload-identity",
  color: false,
  quiet: true,
  verbose: false,
};
const federated = {
  AZURE_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
  AZURE_FEDERATED_TOKEN_FILE: "/var/run/token",
};

describe("connectToGraph tenant", () => {
  it("falls back to the manifests' tenant.id when AZURE_TENANT_ID is empty", () => {
    const connection = connectToGraph(globals, { ...federated, AZURE_TENANT_ID: "" }, MANIFEST_TENANT);
    expect(connection.describe()).toContain(`tenant ${MANIFEST_TENANT}`);
  });

  it("treats a blank --tenant-id and a blank AZURE_TENANT_ID as unset", () => {
    const connection = connectToGraph(
      { ...globals, tenantId: " " },
      { ...federated, AZURE_TENANT_ID: "  " },
      MANIFEST_TENANT,
    );
    expect(connection.describe()).toContain(`tenant ${MANIFEST_TENANT}`);
  });

  it("prefers --tenant-id, then AZURE_TENANT_ID, then the manifests", () => {
    expect(
      connectToGraph(globals, { ...federated, AZURE_TENANT_ID: ENV_TENANT }, MANIFEST_TENANT).describe(),
    ).toContain(`tenant ${ENV_TENANT}`);
    const option = "33333333-0000-4000-8000-000000000000";
    expect(
      connectToGraph(
        { ...globals, tenantId: option },
        { ...federated, AZURE_TENANT_ID: ENV_TENANT },
        MANIFEST_TENANT,
      ).describe(),
    ).toContain(`tenant ${option}`);
  });

  it("still names AZURE_TENANT_ID when neither the environment nor the manifests say", () => {
    expect(() => connectToGraph(globals, { ...federated, AZURE_TENANT_ID: "" }, undefined)).toThrow(
      /AZURE_TENANT_ID/,
    );
  });
});
