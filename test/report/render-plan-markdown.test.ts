import { describe, expect, it } from "vitest";
import { PLAN_COMMENT_MARKER, renderPlanMarkdown } from "../../src/report/plan/render-plan-markdown.js";
import { expectGolden } from "./golden.js";
import { emptyPlan, hostilePlan, hugePlan, pricedPlan, typicalPlan } from "./sample-plans.js";

const GITHUB_COMMENT_LIMIT = 65_536;

describe("renderPlanMarkdown", () => {
  it("renders an empty plan (golden)", () => {
    const text = renderPlanMarkdown(emptyPlan);
    expect(text).toContain("No changes. The tenant matches the manifests.");
    expectGolden("plan-empty.md.txt", text);
  });

  it("renders a typical plan (golden)", () => {
    expectGolden("plan-typical.md.txt", renderPlanMarkdown(typicalPlan));
  });

  it("starts with the marker a CI step looks for", () => {
    for (const plan of [emptyPlan, typicalPlan]) {
      expect(renderPlanMarkdown(plan).split("\n")[0]).toBe(PLAN_COMMENT_MARKER);
    }
  });

  it("lists risks before the tables, the group removal first", () => {
    const text = renderPlanMarkdown(typicalPlan);
    const risks = text.indexOf("#### Risks");
    expect(risks).toBeGreaterThan(0);
    expect(risks).toBeLessThan(text.indexOf("| Adds |"));
    const firstRisk = text.slice(risks).split("\n")[2];
    expect(firstRisk).toBe("- ⚠️ Removes SPE\\_E5 from group Sales: 41 members lose it");
  });

  it("counts the users who lose a license when no guard already says so", () => {
    expect(renderPlanMarkdown(hostilePlan)).toContain("- ⚠️ 5 users lose a license\n");
    expect(renderPlanMarkdown(typicalPlan)).not.toContain("users lose a license");
  });

  it("shows seats before and after for in-scope SKUs", () => {
    const text = renderPlanMarkdown(typicalPlan);
    expect(text).toContain("| `SPE_E5` Microsoft 365 E5 ⚠️ Warning | 52 → 24 (-28) | 60 | 36 |");
    expect(text).not.toContain("FLOW_FREE");
    expect(text).toContain("2 out-of-scope SKUs not shown");
  });

  it("puts each wave in a collapsible block", () => {
    const text = renderPlanMarkdown(typicalPlan);
    expect(text.match(/<details>/g)).toHaveLength(7);
    expect(text.match(/<\/details>/g)).toHaveLength(7);
    expect(text).toContain(
      "| frank@contoso.com |  |  | `ENTERPRISEPACK`: disable: SWAY, YAMMER\\_ENTERPRISE; enable: TEAMS1 |",
    );
  });

  it("escapes hostile names: no raw HTML, no broken table, no mention", () => {
    const text = renderPlanMarkdown(hostilePlan);
    expectGolden("plan-hostile.md.txt", text);
    expect(text).not.toContain("<script>");
    expect(text).not.toContain("<img");
    expect(text.replace(/\u200b/g, "")).toContain("&lt;script&gt;alert(1)&lt;/script&gt;@contoso.com");
    expect(text).toContain("pipe\\|and\\`tick\\`s@contoso.com");
    expect(text).not.toMatch(/(^|\s)@contoso\/admins/m);
    // Every table row keeps its column count: escaped pipes do not split cells.
    for (const line of text.split("\n").filter((l) => l.startsWith("| "))) {
      const cells = line.replace(/\\\|/g, "").split("|").length - 2;
      expect([3, 5, 6, 4], line).toContain(cells);
    }
  });

  it("stays under GitHub's comment limit for 100,000 changes and says what it left out", () => {
    const plan = hugePlan();
    const text = renderPlanMarkdown(plan);
    expect(text.length).toBeLessThanOrEqual(65_000);
    expect(text.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const shown = text.split("\n").filter((l) => /^\| (user|leaver)\d+@/.test(l)).length;
    expect(shown).toBeGreaterThan(100);
    const hidden = 100_000 - shown;
    expect(text).toContain(
      `… ${hidden.toLocaleString("en-US")} more changes not shown; see the full plan in the job log / plan.json.`,
    );
    // The smallest wave (10,000 usage locations) is cut no harder than the largest.
    const notes = [...text.matchAll(/_… ([\d,]+) more changes in this wave not shown\._/g)].map((m) =>
      Number(m[1]!.replace(/,/g, "")),
    );
    expect(notes.reduce((a, b) => a + b, 0)).toBe(hidden);
  });

  it("opens with the change patterns, then the seats, then the waves; every pattern stays however many rows are cut", () => {
    for (const maxLength of [65_000, 6_000]) {
      const text = renderPlanMarkdown(hugePlan(), { maxLength });
      expect(text.length).toBeLessThanOrEqual(maxLength);
      const patterns = text.indexOf("#### Change patterns");
      expect(patterns).toBeGreaterThan(0);
      expect(patterns).toBeLessThan(text.indexOf("#### Seats"));
      expect(text.indexOf("#### Seats")).toBeLessThan(text.indexOf("<details>"));
      expect(text).toContain(
        "| add to users | `SPE_E5` | declared | 60,000 | user0@contoso.com, user1@contoso.com, user2@contoso.com, … | `users.yaml:3`, `users.yaml:7`, `users.yaml:11` |",
      );
      expect(text).toContain(
        "| remove from users | `ENTERPRISEPACK` | not declared (authoritative scope) | 30,000 |",
      );
      expect(text).toContain("| set usage location of users | US | tenant default | 10,000 |");
    }
    // In the typical plan, each action x SKU x reason is one row.
    const typical = renderPlanMarkdown(typicalPlan);
    expect(typical).toContain("| add to user | `SPE_E5` | swap | 1 | erin@contoso.com | `users.yaml:31` |");
  });

  it("cuts the largest waves first when the limit is tight", () => {
    const text = renderPlanMarkdown(typicalPlan, { maxLength: renderPlanMarkdown(typicalPlan).length - 1 });
    expect(text.length).toBeLessThan(renderPlanMarkdown(typicalPlan).length);
    expect(text).toMatch(/… \d+ more changes? not shown; see the full plan/);
    // The update wave (3 changes) loses a row; single-change waves stay whole.
    expect(text).toContain("_… 1 more change in this wave not shown._");
    expect(text).toContain("dave@contoso.com");
  });

  it("keeps even a limit smaller than the summary, without leaving a block open", () => {
    for (const maxLength of [2_000, 600]) {
      const text = renderPlanMarkdown(hugePlan(), { maxLength });
      expect(text.length).toBeLessThanOrEqual(maxLength);
      expect(text).toContain("see the full plan in the job log / plan.json");
      expect(text.match(/<details>/g)?.length ?? 0).toBe(text.match(/<\/details>/g)?.length ?? 0);
    }
  });
});

describe("renderPlanMarkdown with prices", () => {
  it("opens with the cost table: per SKU and in total, monthly and yearly (golden)", () => {
    const text = renderPlanMarkdown(pricedPlan);
    expectGolden("plan-priced.md.txt", text);
    const firstTable = text.split("\n").find((line) => line.startsWith("| "));
    expect(firstTable).toBe("| SKU | Seats | Per seat / month | Monthly | Yearly |");
    expect(text).toContain("| `SPE_E5` | 52 → 24 (-28) | $57.00 | -$1,596.00 | -$19,152.00 |");
    expect(text).toContain("| `ENTERPRISEPACK` | 80 → 79 (-1) | $23.00 | -$23.00 | -$276.00 |");
    expect(text).toContain("| **Total USD** | | | **-$1,619.00** | **-$19,428.00** |");
    expect(text).toContain("No price for `AAD_PREMIUM_P2`: not counted.");
  });

  it("shows no money at all without a price table", () => {
    for (const plan of [typicalPlan, emptyPlan, hostilePlan]) {
      const text = renderPlanMarkdown(plan);
      expect(text).not.toContain("#### Cost");
      expect(text).not.toMatch(/\$\d/);
    }
  });
});
