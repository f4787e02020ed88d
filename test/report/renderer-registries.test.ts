import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { APPLY_FORMATS, APPLY_RENDERERS } from "../../src/report/apply/index.js";
import { renderApplyResultText } from "../../src/report/apply/render-apply-text.js";
import { PLAN_FORMATS, PLAN_REFUSAL_RENDERERS, PLAN_RENDERERS } from "../../src/report/plan/index.js";
import { SKUS_FORMATS, SKUS_RENDERERS } from "../../src/report/skus/index.js";
import { SAMPLE_RESULT } from "../apply/sample-result.js";
import { expectGolden } from "./golden.js";
import { typicalPlan } from "./sample-plans.js";
import { SAMPLE_SKUS } from "./sample-tenant.js";

/** The registries the commands choose from render what each format's own golden file holds. */
describe("renderer registries", () => {
  it("offer the formats each command documents, text first", () => {
    expect(PLAN_FORMATS).toEqual(["text", "markdown", "json"]);
    expect(APPLY_FORMATS).toEqual(["text", "markdown", "json"]);
    expect(SKUS_FORMATS).toEqual(["text", "json"]);
    expect(Object.keys(PLAN_REFUSAL_RENDERERS)).toEqual(PLAN_FORMATS);
  });

  it("render plans as the plan goldens", () => {
    expectGolden("plan-typical.txt", PLAN_RENDERERS.text(typicalPlan, { color: false }));
    expectGolden("plan-typical.color.txt", PLAN_RENDERERS.text(typicalPlan, { color: true }));
    expectGolden("plan-typical.md.txt", PLAN_RENDERERS.markdown(typicalPlan, { color: true }));
    expectGolden("plan-typical.json.txt", PLAN_RENDERERS.json(typicalPlan, { color: true }));
  });

  it("render the SKU listing as the SKU goldens", () => {
    const listing = { skus: SAMPLE_SKUS, catalog: loadCatalog() };
    expectGolden("skus.txt", SKUS_RENDERERS.text(listing, { color: false }));
    expectGolden("skus-plans.txt", SKUS_RENDERERS.text(listing, { color: false, plans: true }));
    expectGolden("skus.json.txt", SKUS_RENDERERS.json(listing, { color: true }));
  });

  it("render an apply result for a comment as its plain text in a code block", () => {
    const markdown = APPLY_RENDERERS.markdown(SAMPLE_RESULT, { color: true });
    expect(markdown).toBe(`\`\`\`text\n${renderApplyResultText(SAMPLE_RESULT, { color: false })}\`\`\`\n`);
    expect(markdown).not.toContain("\u001b");
    expect(JSON.parse(APPLY_RENDERERS.json(SAMPLE_RESULT, { color: true }))).toMatchObject({
      formatVersion: 1,
    });
  });
});
