import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";

/** Writes `files` into a fresh directory and runs `licensectl validate` there. */
async function validate(files: Record<string, string>, args: readonly string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), "licensectl-economics-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  const io = new RecordingIo({ cwd: dir });
  const code = await runCli(["validate", ".", ...args], io);
  return { code, out: io.out, err: io.err };
}

const TENANT = `apiVersion: licensectl/v1
tenant:
  id: 3f9a6c1e-52d4-4b7a-9e2f-7c1d8a4b6e90
scope:
  skus: [ENTERPRISEPACK, SPE_E5, SPE_E3]
  mode: authoritative
`;

interface JsonProblem {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}
const problemsOf = (out: string) =>
  (JSON.parse(out) as { problems: JsonProblem[] }).problems.map(
    (p) => `${p.file ? `${p.file}:${p.line}:${p.column} ` : ""}${p.code}: ${p.message}`,
  );

describe("licensectl validate: prices", () => {
  it("accepts prices split over files and a CSV price table", async () => {
    const { code, out } = await validate(
      {
        "tenant.yaml": TENANT,
        "prices.yaml":
          "apiVersion: licensectl/v1\nprices:\n  - { sku: SPE_E5, amount: 57, currency: USD, period: month }\n",
        "more.yaml":
          'apiVersion: licensectl/v1\nprices:\n  - { sku: "Office 365 E3", amount: 276.00, currency: USD, period: year }\n',
        "prices.csv": "sku,amount,currency,period\nSPE_E3,36,USD,month\n",
      },
      ["--prices", "prices.csv"],
    );
    expect(out).toContain("valid");
    expect(code).toBe(0);
  });

  it("locates a bad currency, a SKU priced twice (by two names, across files) and a wrong type", async () => {
    const { code, out } = await validate(
      {
        "tenant.yaml": TENANT,
        "prices.yaml": [
          "apiVersion: licensectl/v1",
          "prices:",
          "  - { sku: SPE_E5, amount: 57, currency: usd, period: month }",
          "  - { sku: ENTERPRISEPACK, amount: 23, currency: EUX, period: month }",
          '  - { sku: "Office 365 E3", amount: 23, currency: EUR, period: month }',
          '  - { sku: SPE_E3, amount: "36 USD", currency: USD, period: month }',
          "",
        ].join("\n"),
      },
      ["--format", "json"],
    );
    expect(code).toBe(1);
    const problems = problemsOf(out);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^prices\.yaml:3:\d+ invalid-value: prices\[0\]\.currency/),
        'prices.yaml:4:5 invalid-currency: "EUX" is not an ISO 4217 currency code',
        expect.stringMatching(
          /^prices\.yaml:5:5 duplicate-price: ENTERPRISEPACK is priced here \(as "Office 365 E3"\) and at prices\.yaml:4:5$/,
        ),
        expect.stringMatching(/^prices\.yaml:6:\d+ [a-z-]+: prices\[3\]\.amount/),
      ]),
    );
  });

  it("locates bad rows of a CSV price table at line and column, and a SKU the manifests price too", async () => {
    const { code, out } = await validate(
      {
        "tenant.yaml": TENANT,
        "prices.yaml":
          "apiVersion: licensectl/v1\nprices:\n  - { sku: SPE_E5, amount: 57, currency: USD, period: month }\n",
        "prices.csv": [
          "sku,amount,currency,period",
          "ENTERPRISEPACK,$23,USD,month",
          "SPE_E3,36,USD,monthly",
          "spe_e5,60,USD,month",
          "SPE_E3,36,DOLLAR,month",
          "",
        ].join("\n"),
      },
      ["--prices", "prices.csv", "--format", "json"],
    );
    expect(code).toBe(1);
    expect(problemsOf(out)).toEqual(
      expect.arrayContaining([
        'prices.csv:2:16 invalid-price: "$23" is not a price (for ENTERPRISEPACK)',
        'prices.csv:3:15 invalid-price-period: "monthly" is not a price period (for SPE_E3)',
        "prices.csv:4:1 duplicate-price: spe_e5 is priced here and at prices.yaml:3:5",
        'prices.csv:5:1 invalid-currency: "DOLLAR" is not an ISO 4217 currency code',
      ]),
    );
  });

  it("refuses a CSV without the price columns, naming the missing ones", async () => {
    const { code, out } = await validate({ "tenant.yaml": TENANT, "p.csv": "sku,price\nSPE_E5,57\n" }, [
      "--prices",
      "p.csv",
      "--format",
      "json",
    ]);
    expect(code).toBe(1);
    expect(problemsOf(out)).toContain(
      "p.csv:1:1 price-csv-header: p.csv has no amount, currency, period columns (header: sku,price)",
    );
  });
});

describe("licensectl validate: policies", () => {
  it("accepts every policy form", async () => {
    const { code, out } = await validate({
      "tenant.yaml":
        TENANT +
        [
          "policies:",
          "  exclusive:",
          "    - [SPE_E3, SPE_E5]",
          "  minFreeSeats:",
          "    - { sku: SPE_E5, seats: 5 }",
          "    - { sku: ENTERPRISEPACK, percent: 10 }",
          "  seatPools:",
          "    - { department: Sales, sku: SPE_E5, max: 120 }",
          "  inactiveDays: 60",
          "  exempt: [room-101@contoso.com]",
          "  renewals: { warnDays: 45, reserve: 2 }",
          "",
        ].join("\n"),
    });
    expect(out).toContain("valid");
    expect(code).toBe(0);
  });

  it("locates policies that break the schema: a one-SKU set, a day count of 0", async () => {
    const { code, out } = await validate(
      {
        "tenant.yaml":
          TENANT + ["policies:", "  exclusive:", "    - [SPE_E3]", "  inactiveDays: 0", ""].join("\n"),
      },
      ["--format", "json"],
    );
    expect(code).toBe(1);
    expect(problemsOf(out)).toEqual([
      "tenant.yaml:9:7 invalid-value: policies.exclusive[0] must NOT have fewer than 2 items",
      "tenant.yaml:10:17 invalid-value: policies.inactiveDays must be >= 1",
    ]);
  });

  it("locates an unknown SKU in a policy, an empty ceiling and a second policies section", async () => {
    const { code, out } = await validate(
      {
        "tenant.yaml":
          TENANT +
          [
            "policies:",
            "  exclusive:",
            "    - [SPE_E3, SPE_E55]",
            "  minFreeSeats:",
            "    - { sku: SPE_E5 }",
            "",
          ].join("\n"),
        "z-other.yaml": "apiVersion: licensectl/v1\npolicies:\n  inactiveDays: 30\n",
      },
      ["--format", "json"],
    );
    expect(code).toBe(1);
    const problems = problemsOf(out);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tenant\.yaml:9:16 unknown-sku: unknown SKU "SPE_E55" in the exclusive set/),
        expect.stringMatching(
          /^tenant\.yaml:11:7 empty-seat-ceiling: the minFreeSeats entry for SPE_E5 says neither/,
        ),
        expect.stringMatching(
          /^z-other\.yaml:2:1 duplicate-section: policies is stated here and at tenant\.yaml:7:1/,
        ),
      ]),
    );
  });
});
