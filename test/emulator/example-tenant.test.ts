import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "tenant.yaml");

describe.runIf(existsSync(EXAMPLE))("emulator: examples/tenant.yaml", () => {
  it("loads and serves the example tenant with every seat accounted for", async () => {
    const emulator = await startEmulator({ tenant: EXAMPLE, groupProcessingDelayMs: 0 });
    try {
      const { tenant, users, skus } = emulator.snapshot();
      expect(tenant.displayName).toBe("Contoso");
      expect(users.length).toBeGreaterThan(0);
      for (const sku of skus) expect(sku.consumedUnits).toBeLessThanOrEqual(sku.prepaidUnits.enabled);
      const response = await fetch(`${emulator.url}/v1.0/users?$top=999&$select=id,assignedLicenses`);
      expect(response.status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });
});
