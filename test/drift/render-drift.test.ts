import { describe, expect, it } from "vitest";
import { computeDrift } from "../../src/drift/compute-drift.js";
import { renderDriftAnnotations } from "../../src/report/drift/render-drift-annotations.js";
import { renderDriftHtml } from "../../src/report/drift/render-drift-html.js";
import { renderDriftJson } from "../../src/report/drift/render-drift-json.js";
import { DRIFT_MARKDOWN_MARKER, renderDriftMarkdown } from "../../src/report/drift/render-drift-markdown.js";
import { renderDriftText } from "../../src/report/drift/render-drift-text.js";
import { stripAnsi } from "../../src/report/style.js";
import { catalogSku, liveSku, liveState, liveUser, desiredState, plan, reference } from "./builders.js";
import { scenario } from "./scenario.js";

const report = computeDrift(scenario());

/** A tenant whose names try to break out of markdown and HTML. */
function hostileReport() {
  return computeDrift({
    desired: desiredState({ scope: ["ENTERPRISEPACK"] }),
    live: liveState({
      skus: [liveSku("POWER_BI_STANDARD", { enabled: 10, consumed: 1 })],
      users: [
        liveUser("<script>alert(1)</script>|x@contoso.com", {
          id: "id-evil",
          licenses: [{ sku: "POWER_BI_STANDARD" }],
        }),
      ],
    }),
    plan: plan(),
    reference,
  });
}

describe("text", () => {
  it("shows a summary and one table per category with its items", () => {
    const text = renderDriftText(report, { color: false });
    expect(text).toContain("Drift found: 11 items.");
    expect(text).toContain("Unmanaged direct assignments (2)");
    expect(text).toMatch(/user bob@contoso\.com\s+POWER_BI_STANDARD/);
    expect(text).toMatch(/dave@contoso\.com\s+SPE_E5\s+Sales\s+CountViolation/);
    expect(text).toMatch(
      /ENTERPRISEPACK\s+COPILOT_STUDIO_IN_E3\s+alice@contoso\.com\s+erin@contoso\.com \(not in tenant\)/,
    );
    expect(text).toMatch(/SPE_E5\s+6 \/ 5\s+120 %\s+Enabled\s+over capacity/);
  });

  it("says so when there is no drift, and colours only when asked", () => {
    const clean = computeDrift({
      desired: desiredState({ scope: [] }),
      live: liveState(),
      plan: plan(),
      reference,
    });
    expect(renderDriftText(clean, { color: false })).toContain("No drift");
    const coloured = renderDriftText(report, { color: true });
    expect(coloured).toContain("\u001b[");
    expect(stripAnsi(coloured)).toBe(renderDriftText(report, { color: false }));
  });
});

describe("GitHub annotations", () => {
  it("points at the manifest lines behind drift items", () => {
    const lines = renderDriftAnnotations(report);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^::warning file=manifests\/users\.yaml,line=\d+,col=9,title=licensectl drift::COPILOT_STUDIO_IN_E3%2C|::COPILOT_STUDIO_IN_E3, new in ENTERPRISEPACK, is enabled silently \(deny-list\) for alice@contoso\.com$/,
      ),
    );
    expect(lines.some((l) => l.includes("carol@contoso.com also inherits SPE_E5 from Sales"))).toBe(true);
    expect(lines.every((l) => l.startsWith("::warning file="))).toBe(true);
  });
});

describe("markdown", () => {
  it("starts with the marker and escapes user text", () => {
    const markdown = renderDriftMarkdown(hostileReport());
    expect(markdown.startsWith(DRIFT_MARKDOWN_MARKER)).toBe(true);
    expect(markdown).not.toContain("<script>");
    expect(markdown).toContain("&lt;script&gt;alert(1)&lt;/script&gt;\\|x@contoso.com");
  });

  it("lists every category with a table", () => {
    const markdown = renderDriftMarkdown(report);
    expect(markdown).toContain("### License assignment errors (1)");
    expect(markdown).toContain("| dave@contoso.com | SPE\\_E5 | Sales | CountViolation | Error |");
    expect(markdown).not.toContain("Truncated");
  });

  it("stays under GitHub's comment limit on a 100,000-user drift and says what it left out", () => {
    const users = Array.from({ length: 100_000 }, (_, i) =>
      liveUser(`user${i}@contoso.com`, {
        id: `id-${i}`,
        usageLocation: null,
        licenses: [{ sku: "POWER_BI_STANDARD" }],
      }),
    );
    const big = computeDrift({
      desired: desiredState({ scope: ["ENTERPRISEPACK"] }),
      live: liveState({
        skus: [liveSku("POWER_BI_STANDARD", { enabled: 1_000_000, consumed: 100_000, status: "Warning" })],
        users,
      }),
      plan: plan(),
      reference,
    });
    expect(big.summary.unmanagedAssignments).toBe(100_000);
    const markdown = renderDriftMarkdown(big);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).toContain("**Truncated:**");
    expect(markdown).toMatch(/_99,\d{3} more not shown here/);
    // the small category is not crowded out by the large ones
    expect(markdown).toContain("### Seats and subscription status (1)");
    for (const maxLength of [3_000, 20_000]) {
      const short = renderDriftMarkdown(big, { maxLength });
      expect(short.length).toBeLessThanOrEqual(maxLength);
      expect(short).toContain("**Truncated:**");
    }
    expect(markdown).toMatch(
      /\| POWER\\_BI\\_STANDARD \| 100000 \/ 1000000 \| 10 % \| Warning \| Warning \|/,
    );
  });
});

describe("json", () => {
  it("round-trips the report", () => {
    expect(JSON.parse(renderDriftJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});

describe("html", () => {
  it("is one self-contained page: no script, no external resource", () => {
    const html = renderDriftHtml(report);
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<g class="seat-bar/g)).toHaveLength(4);
  });

  it("marks the seats in use after the plan on the bar", () => {
    const input = scenario();
    const withSeats = computeDrift({
      ...input,
      plan: {
        ...input.plan,
        seats: [
          {
            skuId: catalogSku("FLOW_FREE").id,
            skuPartNumber: "FLOW_FREE",
            capabilityStatus: "Enabled",
            enabled: 10_000,
            consumedBefore: 20,
            consumedAfter: 5_000,
            inScope: false,
          },
        ],
      },
    });
    const html = renderDriftHtml(withSeats);
    expect(html).toMatch(/data-sku="FLOW_FREE"[^]*?<line class="after-plan" x1="510" x2="510"/);
    expect(html).toContain("20 / 10,000 (0 %), 5,000 after the plan");
    expect(html.match(/<line class="after-plan"/g)).toHaveLength(1);
  });

  it("escapes tenant text", () => {
    const html = renderDriftHtml(hostileReport());
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;|x@contoso.com");
  });

  it("caps table rows and says how many it left out", () => {
    const html = renderDriftHtml(report, { maxRowsPerTable: 1 });
    expect(html).toContain("1 more rows are not shown");
  });
});
