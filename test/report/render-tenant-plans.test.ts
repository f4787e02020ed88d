import { describe, expect, it } from "vitest";
import type { TenantPlanEntry } from "../../src/model/tenant-run.js";
import { GITHUB_COMMENT_LIMIT } from "../../src/report/markdown.js";
import { renderTenantPlansMarkdown } from "../../src/report/tenants/render-tenant-plans-markdown.js";
import { seatsShortOfProblems } from "../../src/report/tenants/tenant-rows.js";
import { emptyPlan, hostilePlan, hugePlan, typicalPlan } from "./sample-plans.js";

const changed = (name: string, plan = typicalPlan): TenantPlanEntry => ({
  name,
  tenantId: plan.tenant.id,
  status: "changed",
  plan,
});
const failed = (name: string): TenantPlanEntry => ({
  name,
  status: "failed",
  failure: {
    code: "plan-refused",
    message: "no plan can be made",
    problems: [
      {
        code: "capacity-exceeded",
        severity: "error",
        message: "SPE_E5 needs 12 seats after this plan; the tenant has 10 enabled (consumed now 10)",
      },
    ],
  },
});

describe("one comment for several tenants", () => {
  it("has a summary row per tenant, failures first, and a collapsible section for each that needs attention", () => {
    const md = renderTenantPlansMarkdown([
      changed("contoso"),
      { name: "fabrikam", status: "in-sync", plan: emptyPlan },
      failed("northwind"),
    ]);
    const rows = md.split("\n").filter((line) => /^\| (contoso|fabrikam|northwind) /.test(line));
    expect(rows).toEqual([
      "| northwind | ❌ failed | – | – | – | **2** | – |",
      "| contoso | 📝 changes | 4 | 2 | 4 | 0 | 🔴 high |",
      "| fabrikam | ✅ in sync | 0 | 0 | 0 | 0 | ⚪ none |",
    ]);
    expect(md).toContain("<details><summary>❌ northwind: no plan can be made</summary>");
    expect(md).toContain("<details><summary>📝 contoso: 11 changes, risk high</summary>");
    expect(md).not.toContain("fabrikam:");
  });

  it("escapes tenant names and stays under GitHub's limit with hundreds of large plans", () => {
    const huge = hugePlan();
    const entries: TenantPlanEntry[] = [];
    for (let i = 0; i < 300; i++)
      entries.push(i % 10 === 0 ? failed(`t${i}`) : changed(`t${i}`, i % 3 ? huge : typicalPlan));
    entries.push(changed("@team <b>|x", hostilePlan));
    const md = renderTenantPlansMarkdown(entries);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("**30 failed, 271 with changes, 0 in sync.**");
    expect(md).toContain("not shown to stay under GitHub's comment limit");
    expect(md).not.toContain("<b>|x");
    // Every <details> that was opened is closed: no section was cut in half.
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it("gives a large plan what a small one leaves over, cut as a single plan cuts itself", () => {
    const md = renderTenantPlansMarkdown([changed("a", typicalPlan), changed("b", hugePlan())], {
      maxLength: 20_000,
    });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain("<summary>📝 a:");
    expect(md).toContain("<summary>📝 b:");
    expect(md).toContain("**Risk: 🔴 high.** 4 to add, 2 to update, 4 to remove");
    expect(md).toContain("**Risk: 🟡 medium.** 60,000 to add");
    expect(md).toContain("not shown; see the full plan");
  });

  it("reads the shortfall from the capacity problems of a refused plan", () => {
    expect(seatsShortOfProblems(failed("x").failure!.problems)).toBe(2);
  });
});
