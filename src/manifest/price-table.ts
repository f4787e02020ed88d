import { readFile } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { checkPrices } from "./merge-economics.js";
import { parsePriceCsv } from "./price-csv.js";
import type { DesiredState } from "../model/desired-state.js";
import { LicensectlError } from "../model/errors.js";
import type { Problem } from "../model/problem.js";

/**
 * Adds the prices of a `--prices` CSV file to the manifests' own. A SKU
 * priced in both is an error naming both places, as two manifest prices
 * are; the manifests' own problems were reported when they were loaded.
 */
export async function withPriceTable(
  desired: DesiredState,
  file: string | undefined,
  cwd: string,
): Promise<{ desired: DesiredState; problems: Problem[] }> {
  if (file === undefined) return { desired, problems: [] };
  const path = resolve(cwd, file);
  const shown = relative(cwd, path).split(sep).join("/") || file;
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    throw new LicensectlError("prices-unreadable", `cannot read the price table ${file}`, {
      hint: "Pass a CSV file with the columns sku,amount,currency,period.",
      cause: error,
    });
  });
  const parsed = parsePriceCsv(text, shown);
  const prices = [...(desired.prices ?? []), ...parsed.prices];
  const fromFile = checkPrices(prices).filter((p) => p.location?.file === shown);
  return { desired: { ...desired, prices }, problems: [...parsed.problems, ...fromFile] };
}
