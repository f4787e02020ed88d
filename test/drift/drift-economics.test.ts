import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { computeDrift } from "../../src/drift/compute-drift.js";
import type { ResolvedPrice } from "../../src/model/economics.js";
import { renderDriftHtml } from "../../src/report/drift/render-drift-html.js";
import { renderDriftMarkdown } from "../../src/report/drift/render-drift-markdown.js";
import { renderDriftText } from "../../src/report/drift/render-drift-text.js";
import { catalogSku, desiredState, liveSku, liveState, plan, reference } from "./builders.js";
import { scenario } from "./scenario.js";

const at = { file: "tenant.yaml", line: 20, column: 5 };
const price = (partNumber: string, amount: number, period: "month" | "year"): ResolvedPrice => ({
  skuId: catalogSku(partNumber).id,
  skuPartNumber: partNumber,
  amount,
  currency: "USD",
  period,
  location: at,
});

/** The drift scenario with E3 (9 of 10 seats used) and E5 (6 of 5: none unused) priced. */
function pricedScenario() {
  const input = scenario();
  return computeDrift({
    ...input,
    desired: {
      ...input.desired,
      prices: [price("ENTERPRISEPACK", 276, "year"), price("SPE_E5", 57, "month")],
    },
  });
}

const schema = JSON.parse(readFileSync(new URL("../../schemas/drift.schema.json", import.meta.url), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);

describe("drift: the cost of unused seats", () => {
  it("costs the enabled seats nobody holds per priced SKU, and never counts them as drift", () => {
    const report = pricedScenario();
    const plain = computeDrift(scenario());
    expect(report.economics?.unusedSeats).toEqual([
      {
        skuId: catalogSku("ENTERPRISEPACK").id,
        skuPartNumber: "ENTERPRISEPACK",
        currency: "USD",
        monthlyUnitPrice: 23,
        enabled: 10,
        consumed: 9,
        unused: 1,
        monthlyCost: 23,
        yearlyCost: 276,
      },
    ]);
    expect(report.economics?.unusedSeatTotals).toEqual([
      { currency: "USD", unused: 1, monthlyCost: 23, yearlyCost: 276 },
    ]);
    expect(report.summary).toEqual(plain.summary);
    expect(validate(JSON.parse(JSON.stringify(report)))).toBe(true);
  });

  it("has no money anywhere without prices", () => {
    const report = computeDrift(scenario());
    expect(report.economics).toBeUndefined();
    for (const text of [
      renderDriftText(report, { color: false }),
      renderDriftMarkdown(report),
      renderDriftHtml(report),
    ])
      expect(text).not.toMatch(/\$\d|unused seats/i);
  });

  it("shows the table in text, markdown and HTML, even when there is no drift", () => {
    const report = pricedScenario();
    expect(renderDriftText(report, { color: false })).toMatch(
      /Cost of unused seats \(1\)\n.*In total: 1 seats, \$23\.00 a month, \$276\.00 a year\.\n\s+SKU\s+Unused seats.*\n\s+ENTERPRISEPACK\s+1 of 10\s+\$23\.00\s+\$23\.00\s+\$276\.00/,
    );
    expect(renderDriftMarkdown(report)).toContain("| ENTERPRISEPACK | 1 of 10 | $23.00 | $23.00 | $276.00 |");
    expect(renderDriftHtml(report)).toContain('<section class="drift" id="unusedSeats">');

    const clean = computeDrift({
      desired: { ...desiredState({ scope: [] }), prices: [price("SPE_E5", 57, "month")] },
      live: liveState({ skus: [liveSku("SPE_E5", { enabled: 10, consumed: 4 })] }),
      plan: plan(),
      reference,
    });
    expect(clean.summary.total).toBe(0);
    const text = renderDriftText(clean, { color: false });
    expect(text).toContain("No drift: the tenant matches the manifests.");
    expect(text).toMatch(/SPE_E5\s+6 of 10\s+\$57\.00\s+\$342\.00\s+\$4,104\.00/);
    expect(renderDriftMarkdown(clean)).toContain("| SPE\\_E5 | 6 of 10 | $57.00 | $342.00 | $4,104.00 |");
  });
});
