import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/plan.js";
import { EXAMPLE_MANIFESTS, startHarness, type CliHarness } from "./cli-harness.js";

let harness: CliHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("licensectl plan with prices, against the example tenant", () => {
  it("carries the cost delta per SKU and in total in JSON, from the seats it plans", async () => {
    harness = await startHarness();
    const { code, out } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--format", "json"]);
    expect(code).toBe(0);
    const plan = JSON.parse(out) as Plan;
    const cost = plan.cost!;
    // Every priced row is the plan's own seat change times the example's price.
    for (const row of cost.skus) {
      const seat = plan.seats.find((s) => s.skuId === row.skuId)!;
      expect([row.seatsBefore, row.seatsAfter]).toEqual([seat.consumedBefore, seat.consumedAfter]);
      expect(row.monthlyDelta).toBeCloseTo(
        (seat.consumedAfter - seat.consumedBefore) * row.monthlyUnitPrice,
        2,
      );
      expect(row.yearlyDelta).toBeCloseTo(row.monthlyDelta * 12, 2);
    }
    const bySku = Object.fromEntries(cost.skus.map((r) => [r.skuPartNumber, r]));
    // The example tenant's comments: E5 10 -> 11, E3 247 -> 246, Project 0 -> 6, Visio priced by the year.
    expect(bySku.SPE_E5).toMatchObject({
      seatsBefore: 10,
      seatsAfter: 11,
      monthlyDelta: 57,
      yearlyDelta: 684,
    });
    expect(bySku.SPE_E3).toMatchObject({ seatsBefore: 247, seatsAfter: 246, monthlyDelta: -36 });
    expect(bySku.PROJECTPROFESSIONAL).toMatchObject({ seatsBefore: 0, seatsAfter: 6, monthlyDelta: 180 });
    expect(bySku.VISIOCLIENT).toMatchObject({ monthlyUnitPrice: 15 });
    // Out-of-scope SKUs carry no price in the example, so they have no row.
    expect(bySku.FLOW_FREE).toBeUndefined();
    const total = cost.totals.find((t) => t.currency === "USD")!;
    expect(total.monthlyDelta).toBeCloseTo(
      cost.skus.reduce((sum, r) => sum + r.monthlyDelta, 0),
      2,
    );
    expect(total.yearlyDelta).toBeCloseTo(total.monthlyDelta * 12, 2);
  });

  it("puts the cost table first in the pull-request comment and the cost section in the terminal", async () => {
    harness = await startHarness();
    const markdown = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--format", "markdown"]);
    expect(markdown.code).toBe(0);
    const firstTable = markdown.out.split("\n").find((line) => line.startsWith("| "));
    expect(firstTable).toBe("| SKU | Seats | Per seat / month | Monthly | Yearly |");
    expect(markdown.out).toContain("| `SPE_E5` | 10 → 11 (+1) | $57.00 | +$57.00 | +$684.00 |");
    expect(markdown.out).toMatch(/\| \*\*Total USD\*\* \| \| \| \*\*[+-]\$[\d,.]+\*\* \|/);
    const text = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS]);
    expect(text.out).toMatch(/^Cost:\n {2}SKU +SEATS +PER SEAT\/MONTH +MONTHLY +YEARLY$/m);
  });

  it("adds a --prices CSV to the manifests' prices and refuses a SKU priced in both, writing nothing", async () => {
    harness = await startHarness();
    await writeFile(join(harness.dir, "prices.csv"), "sku,amount,currency,period\nSPE_E5,60,USD,month\n");
    const { code, err } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--prices", "prices.csv"]);
    expect(code).toBe(1);
    expect(err).toMatch(/prices\.csv:2:1: error: SPE_E5 is priced here and at .*tenant\.yaml:\d+:\d+/);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });
});

describe("licensectl plan with policies, against the example tenant", () => {
  /** The example manifests in a scratch directory, with `edit` applied to tenant.yaml. */
  async function examplesWith(dir: string, edit: (text: string) => string): Promise<string> {
    const target = join(dir, "manifests");
    await cp(EXAMPLE_MANIFESTS, target, { recursive: true });
    const file = join(target, "tenant.yaml");
    await writeFile(file, edit(await readFile(file, "utf8")));
    return target;
  }

  it("keeps the example's policies", async () => {
    harness = await startHarness();
    const { code, err } = await harness.run(["plan", "-m", EXAMPLE_MANIFESTS]);
    expect(code).toBe(0);
    expect(err).not.toMatch(/policy/);
  });

  it("refuses a plan that breaks a seat pool, with the numbers and the people, reading department with the users", async () => {
    harness = await startHarness();
    const manifests = await examplesWith(harness.dir, (text) =>
      text.replace("{ department: Sales, sku: SPE_E5, max: 5 }", "{ department: IT, sku: SPE_E5, max: 0 }"),
    );
    // Read page after page, so that the count of user requests shows what department costs.
    const { code, err } = await harness.run(["--read-concurrency", "1", "plan", "-m", manifests]);
    expect(code).toBe(1);
    expect(err).toMatch(
      /tenant\.yaml:\d+:\d+: error: 1 user of department IT would hold SPE_E5 after the plan \(0 now\); policies\.seatPools allows 0\. Gaining it: olivia\.hart@contoso\.com/,
    );
    // department rides on the one page of users ($select), not a request per user.
    expect(harness.emulator.counters.byRoute["GET /users"]).toBe(1);
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("refuses a plan that gives a user two exclusive SKUs: exit 1, the refusal and the located policy, nothing written", async () => {
    harness = await startHarness();
    const manifests = await examplesWith(harness.dir, (text) => text);
    // The security lead keeps E3 beside the E5 she gains, which policies.exclusive forbids.
    const itUsers = join(manifests, "users", "it.yaml");
    await writeFile(
      itUsers,
      (await readFile(itUsers, "utf8")).replace(
        "      - profile: m365-e5-leadership\n",
        "      - profile: m365-e5-leadership\n      - profile: m365-e3-standard\n",
      ),
    );
    const { code, out, err } = await harness.run(["plan", "-m", manifests, "--format", "json"]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(/^error: no plan can be made$/m);
    expect(err).toMatch(
      /tenant\.yaml:37:\d+: error: 1 user\(s\) would hold more than one of SPE_E3, SPE_E5, which policies\.exclusive forbids: olivia\.hart@contoso\.com/,
    );
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });

  it("refuses a plan that leaves fewer free seats than a ceiling", async () => {
    harness = await startHarness();
    const manifests = await examplesWith(harness.dir, (text) =>
      text.replace("{ sku: SPE_E5, seats: 1 }", "{ sku: SPE_E5, seats: 3 }"),
    );
    const { code, err } = await harness.run(["plan", "-m", manifests]);
    expect(code).toBe(1);
    expect(err).toMatch(
      /error: SPE_E5 would have 2 free seat\(s\) of 13 after the plan \(10 -> 11 used\); policies\.minFreeSeats keeps 3 free \(3 seats\)\. Gaining it: olivia\.hart@contoso\.com/,
    );
  });
});
