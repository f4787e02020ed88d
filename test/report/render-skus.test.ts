import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { renderSkusJson, type SkusDocument } from "../../src/report/skus/render-skus-json.js";
import { renderSkusText } from "../../src/report/skus/render-skus-text.js";
import { stripAnsi } from "../../src/report/style.js";
import { expectGolden } from "./golden.js";
import { SAMPLE_SKUS } from "./sample-tenant.js";

const catalog = loadCatalog();

describe("renderSkusText", () => {
  it("lists seats per SKU sorted by part number (golden)", () => {
    const text = renderSkusText(SAMPLE_SKUS, catalog, { color: false });
    expectGolden("skus.txt", text);
    const order = text
      .split("\n")
      .slice(1, 6)
      .map((line) => line.split(" ")[0]);
    expect(order).toEqual(["AAD_PREMIUM_P2", "CONTOSO_CUSTOM", "ENTERPRISEPACK", "MCOPSTNC", "SPE_E5"]);
  });

  it("names products from the catalog and shows overuse and warning seats", () => {
    const text = renderSkusText(SAMPLE_SKUS, catalog, { color: false });
    expect(text).toMatch(/ENTERPRISEPACK +Office 365 E3 +User +Enabled +100 +4 +96 +0 +0/);
    expect(text).toMatch(/AAD_PREMIUM_P2 +Microsoft Entra ID P2 +User +Enabled +10 +12 +-2/);
    expect(text).toMatch(/SPE_E5 +Microsoft 365 E5 +User +Warning +25 +20 +5 +25 +0/);
    expect(text).toMatch(/CONTOSO_CUSTOM +User +Enabled/);
  });

  it("lists service plans on request (golden)", () => {
    const text = renderSkusText(SAMPLE_SKUS, catalog, { color: false, plans: true });
    expectGolden("skus-plans.txt", text);
    expect(text).toMatch(/\n {4}EXCHANGE_S_ENTERPRISE +Exchange Online \(Plan 2\) +PendingProvisioning/);
    expect(renderSkusText(SAMPLE_SKUS, catalog, { color: false })).not.toContain("EXCHANGE_S_ENTERPRISE");
  });

  it("colours only when asked", () => {
    expect(renderSkusText(SAMPLE_SKUS, catalog, { color: false, plans: true })).not.toContain("\u001b");
    const coloured = renderSkusText(SAMPLE_SKUS, catalog, { color: true, plans: true });
    expect(coloured).toContain("\u001b[");
    expect(stripAnsi(coloured)).toBe(renderSkusText(SAMPLE_SKUS, catalog, { color: false, plans: true }));
  });

  it("says so when the tenant has no SKUs", () => {
    expect(renderSkusText([], catalog, { color: false })).toBe("The tenant has no subscribed SKUs.\n");
  });
});

describe("renderSkusJson", () => {
  it("prints a versioned document with plans and computed availability", () => {
    const document = JSON.parse(renderSkusJson(SAMPLE_SKUS, catalog)) as SkusDocument;
    expect(document.formatVersion).toBe(1);
    expect(document.skus.map((s) => s.skuPartNumber)).toEqual([
      "AAD_PREMIUM_P2",
      "CONTOSO_CUSTOM",
      "ENTERPRISEPACK",
      "MCOPSTNC",
      "SPE_E5",
    ]);
    const p2 = document.skus[0]!;
    expect(p2).toMatchObject({
      productName: "Microsoft Entra ID P2",
      enabled: 10,
      consumed: 12,
      available: -2,
    });
    expect(document.skus[1]!.productName).toBeNull();
    expect(document.skus[2]!.servicePlans.map((p) => p.servicePlanName)).toEqual([
      "EXCHANGE_S_ENTERPRISE",
      "SWAY",
      "TEAMS1",
      "YAMMER_ENTERPRISE",
    ]);
    expectGolden("skus.json.txt", renderSkusJson(SAMPLE_SKUS, catalog));
  });
});
