import { parse } from "csv-parse/sync";
import type { DesiredPrice, PricePeriod } from "../model/economics.js";
import type { Problem, SourceLocation } from "../model/problem.js";

/** The columns a `--prices` file must have, in any order (others are ignored). */
export const PRICE_COLUMNS = ["sku", "amount", "currency", "period"] as const;

const PERIODS: readonly PricePeriod[] = ["month", "year"];
const AMOUNT = /^\d+(\.\d+)?$/;

interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/**
 * Reads a price table (`sku,amount,currency,period`, one header line) into
 * prices located at file:line:column, for the same checks as manifest
 * prices. Never throws: a CSV syntax error is a problem too.
 */
export function parsePriceCsv(text: string, file: string): { prices: DesiredPrice[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (code: string, message: string, location: SourceLocation, hint: string) =>
    problems.push({ code, severity: "error", message, hint, location });
  let records: CsvRecord[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    problem(
      "price-csv-syntax",
      `${file} is not valid CSV: ${(error as Error).message}`,
      { file, line, column: 1 },
      "Write one price per line: sku,amount,currency,period (quote a field that holds a comma).",
    );
    return { prices: [], problems };
  }
  const header = records[0];
  if (!header) {
    problem(
      "price-csv-empty",
      `${file} has no prices`,
      { file, line: 1, column: 1 },
      `Start with the header line ${PRICE_COLUMNS.join(",")}.`,
    );
    return { prices: [], problems };
  }
  const names = header.record.map((name) => name.toLowerCase());
  const missing = PRICE_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    problem(
      "price-csv-header",
      `${file} has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""} (header: ${header.record.join(",")})`,
      { file, line: header.info.lines, column: 1 },
      `The first line names the columns: ${PRICE_COLUMNS.join(",")}.`,
    );
    return { prices: [], problems };
  }
  const index = Object.fromEntries(PRICE_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
    (typeof PRICE_COLUMNS)[number],
    number
  >;
  const prices: DesiredPrice[] = [];
  for (const { record, info } of records.slice(1)) {
    // The column of field i, counting the separators before it (exact for unquoted fields).
    const column = (i: number) => 1 + record.slice(0, i).reduce((sum, field) => sum + field.length + 1, 0);
    const where = (i: number): SourceLocation => ({ file, line: info.lines, column: column(i) });
    const field = (name: (typeof PRICE_COLUMNS)[number]) => record[index[name]] ?? "";
    const sku = field("sku");
    const amount = field("amount");
    const period = field("period");
    let ok = true;
    if (sku === "") {
      problem(
        "price-csv-field",
        "the price has no SKU",
        where(index.sku),
        "Name the SKU by skuPartNumber, product name or skuId GUID.",
      );
      ok = false;
    }
    if (!AMOUNT.test(amount)) {
      problem(
        "invalid-price",
        `"${amount}" is not a price${sku ? ` (for ${sku})` : ""}`,
        where(index.amount),
        "Write the amount as a plain non-negative number with a dot for decimals, no currency sign or thousands separator: 57 or 684.50.",
      );
      ok = false;
    }
    if (!PERIODS.includes(period as PricePeriod)) {
      problem(
        "invalid-price-period",
        `"${period}" is not a price period${sku ? ` (for ${sku})` : ""}`,
        where(index.period),
        "Write month (the amount pays one seat for a month) or year (for a year).",
      );
      ok = false;
    }
    if (!ok) continue;
    prices.push({
      sku,
      amount: Number(amount),
      currency: field("currency"),
      period: period as PricePeriod,
      location: where(index.sku),
    });
  }
  return { prices, problems };
}
