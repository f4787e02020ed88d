import { describe, expect, it } from "vitest";
import { renderPlanText } from "../../src/report/plan/render-plan-text.js";
import { stripAnsi } from "../../src/report/style.js";
import { expectGolden } from "./golden.js";
import { emptyPlan, hostilePlan, hugePlan, pricedPlan, typicalPlan } from "./sample-plans.js";

describe("renderPlanText", () => {
  it("says there is nothing to do for an empty plan", () => {
    const text = renderPlanText(emptyPlan, { color: false });
    expect(text).toBe("No changes. The tenant matches the manifests.\n");
  });

  it("still shows warnings when there is nothing to do", () => {
    const plan = { ...emptyPlan, seats: typicalPlan.seats };
    expect(renderPlanText(plan, { color: false })).toBe(
      "Warnings:\n" +
        "  ! SPE_E5 is Warning, not Enabled: the subscription has expired and is in its grace period\n\n" +
        "No changes. The tenant matches the manifests.\n",
    );
  });

  it("renders a typical plan (golden)", () => {
    expectGolden("plan-typical.txt", renderPlanText(typicalPlan, { color: false }));
  });

  it("renders a typical plan in colour (golden)", () => {
    expectGolden("plan-typical.color.txt", renderPlanText(typicalPlan, { color: true }));
  });

  it("writes no ANSI codes when colour is off", () => {
    for (const plan of [emptyPlan, typicalPlan, hostilePlan]) {
      expect(renderPlanText(plan, { color: false })).not.toContain("\u001b");
    }
  });

  it("differs from the plain text only by ANSI codes when colour is on", () => {
    const coloured = renderPlanText(typicalPlan, { color: true });
    expect(coloured).toContain("\u001b[");
    expect(stripAnsi(coloured)).toBe(renderPlanText(typicalPlan, { color: false }));
  });

  it("puts warnings first, group removals that strip members at the top", () => {
    const lines = renderPlanText(typicalPlan, { color: false }).split("\n");
    expect(lines[0]).toBe("Warnings:");
    expect(lines[1]).toBe("  ! Removes SPE_E5 from group Sales: 41 members lose it");
    expect(lines[2]).toContain("43 license removals exceed limits.maxRemovals (25)");
  });

  it("shows a risk the planner already warns about once, group removals still first", () => {
    const plan = {
      ...typicalPlan,
      warnings: [
        ...typicalPlan.warnings,
        {
          code: "max-removals-exceeded",
          severity: "warning" as const,
          message: "this plan takes licenses from 43 users; limits.maxRemovals allows 25",
        },
        {
          code: "group-license-removal",
          severity: "warning" as const,
          message: "removing SPE_E5 from group Sales takes it from 41 members who hold it by no other path",
        },
      ],
    };
    const warnings = renderPlanText(plan, { color: false })
      .split("\n\n")[0]!
      .split("\n")
      .filter((l) => l.startsWith("  !"));
    expect(warnings).toEqual([
      "  ! removing SPE_E5 from group Sales takes it from 41 members who hold it by no other path",
      "  ! this plan takes licenses from 43 users; limits.maxRemovals allows 25",
      "  ! SPE_E5 is Warning, not Enabled: the subscription has expired and is in its grace period",
      "  ! harry@contoso.com holds VISIOCLIENT directly; it is out of scope and left alone",
    ]);
  });

  it("names the plans an update turns off and on", () => {
    const text = renderPlanText(typicalPlan, { color: false });
    expect(text).toMatch(/~ ENTERPRISEPACK +disable: SWAY, YAMMER_ENTERPRISE; enable: TEAMS1/);
    expect(text).toContain("~ usageLocation: null -> US");
  });

  it("shows in-scope seats only, with a count of the others", () => {
    const text = renderPlanText(typicalPlan, { color: false });
    expect(text).toMatch(/SPE_E5 \(Warning\) +60 +52 +24 +-28 +36/);
    expect(text).not.toContain("FLOW_FREE");
    expect(text).toContain("2 out-of-scope SKUs not shown");
  });

  it("shows every change of a huge plan: the terminal has no size limit", () => {
    const text = renderPlanText(hugePlan(), { color: false });
    // Every change, after the three change patterns the plan opens with.
    expect(text.match(/^ {2}[+~-] /gm)).toHaveLength(100_000 + 3);
    expect(text).toMatch(
      /^ {2}\+ add to users +SPE_E5 +60,000 +declared\n {6}e\.g\. user0@contoso\.com, user1@contoso\.com, user2@contoso\.com, \.\.\.; users\.yaml:3, users\.yaml:7, users\.yaml:11$/m,
    );
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "Plan: 60,000 to add, 0 to update, 30,000 to remove, 10,000 usage locations. Risk: medium.",
    );
  });

  it("ends with the summary line", () => {
    const text = renderPlanText(typicalPlan, { color: false });
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "Plan: 4 to add, 2 to update, 4 to remove, 2 usage locations. Risk: high.",
    );
  });
});

describe("renderPlanText with prices", () => {
  it("shows the cost delta per priced SKU and the total after the seats (golden)", () => {
    const text = renderPlanText(pricedPlan, { color: false });
    expectGolden("plan-priced.txt", text);
    expect(text.indexOf("Cost:")).toBeGreaterThan(text.indexOf("Seats:"));
    expect(text).toMatch(/SPE_E5 +52 → 24 \(-28\) +\$57\.00 +-\$1,596\.00 +-\$19,152\.00/);
    expect(text).toMatch(/Total USD +-\$1,619\.00 +-\$19,428\.00/);
    expect(text).toContain("No price for AAD_PREMIUM_P2: not counted.");
  });

  it("has no cost section without prices", () => {
    expect(renderPlanText(typicalPlan, { color: false })).not.toContain("Cost:");
  });
});
