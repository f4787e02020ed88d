import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { computeDrift } from "../../src/drift/compute-drift.js";
import { renderDriftHtml } from "../../src/report/drift/render-drift-html.js";
import { liveUser } from "./builders.js";
import { scenario } from "./scenario.js";

/**
 * Renders the HTML drift report in headless Chromium and asserts on what the
 * browser made of it. Chromium is Debian's `chromium` (/usr/bin/chromium, or
 * CHROMIUM_PATH). Without it the test is skipped, except in CI, where a
 * missing browser is an error: CI must install it (apt-get install chromium).
 * Google Chrome, as on GitHub's runners, takes the same flags.
 */
const run = promisify(execFile);
const candidates = process.env.CHROMIUM_PATH
  ? [process.env.CHROMIUM_PATH]
  : [
      "/usr/bin/chromium",
      "/usr/bin/chromium-browser",
      // GitHub's Ubuntu runners ship Google Chrome rather than Debian's chromium
      "/usr/bin/google-chrome",
    ];
const chromium = candidates.find((path) => existsSync(path));
const inCi = !!process.env.CI && process.env.CI !== "false";

if (!chromium && !inCi) {
  console.log(
    `Skipping the headless-Chromium HTML report test: no chromium at ${candidates.join(" or ")} (set CHROMIUM_PATH, or apt-get install chromium).`,
  );
}

const work = mkdtempSync(join(tmpdir(), "licensectl-html-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function browse(page: string, mode: string[]): Promise<string> {
  const { stdout } = await run(
    chromium!,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${mkdtempSync(join(work, "profile-"))}`,
      ...mode,
      pathToFileURL(page).href,
    ],
    { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

function reportPage(): string {
  const input = scenario();
  const hostile = liveUser("<img src=x onerror=alert(1)>@contoso.com", {
    id: "id-hostile",
    usageLocation: null,
    licenses: [{ sku: "FLOW_FREE" }],
  });
  const report = computeDrift({ ...input, live: { ...input.live, users: [...input.live.users, hostile] } });
  const page = join(work, "drift.html");
  writeFileSync(page, renderDriftHtml(report));
  return page;
}

describe.skipIf(!chromium && !inCi)("HTML drift report in headless Chromium", () => {
  it("has Chromium available (CI installs it)", () => {
    expect(
      chromium,
      "chromium is not installed: CI must run `apt-get install -y chromium` (see docs/ci.md), or set CHROMIUM_PATH",
    ).toBeDefined();
  });

  it("shows one seat bar per SKU and the drift tables' rows", async () => {
    if (!chromium) return;
    const dom = await browse(reportPage(), ["--dump-dom"]);
    const bars = [...dom.matchAll(/<g class="seat-bar (\w+)" data-sku="([^"]+)"/g)].map((m) => [m[2], m[1]]);
    expect(bars).toEqual([
      ["ENTERPRISEPACK", "warn"],
      ["FLOW_FREE", "ok"],
      ["POWER_BI_STANDARD", "warn"],
      ["SPE_E5", "bad"],
    ]);
    expect(dom.match(/<rect class="fill"[^>]*>/g)).toHaveLength(4);
    const errorsTable = dom.match(/<table data-category="licenseErrors">[\s\S]*?<\/table>/)?.[0] ?? "";
    expect(errorsTable).toMatch(
      /<tr><td>dave@contoso\.com<\/td><td>SPE_E5<\/td><td>Sales<\/td><td>CountViolation<\/td>/,
    );
    const unmanaged = dom.match(/<table data-category="unmanagedAssignments">[\s\S]*?<\/table>/)?.[0] ?? "";
    expect(unmanaged.match(/<tr><td>/g)).toHaveLength(3);
    // tenant text stays text: no element was made from the hostile user name
    expect(dom).not.toMatch(/<img/i);
    expect(dom).toContain("&lt;img src=x onerror=alert(1)&gt;@contoso.com");
  });

  it("renders a non-trivial screenshot", async () => {
    if (!chromium) return;
    const shot = join(work, "drift.png");
    await browse(reportPage(), [`--screenshot=${shot}`, "--window-size=1200,1600", "--hide-scrollbars"]);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 1600]);
    // a blank page compresses to a few kilobytes; text, tables and bars do not
    expect(png.length).toBeGreaterThan(30_000);
  });
});
