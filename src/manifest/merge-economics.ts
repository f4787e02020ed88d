import type { LocatedName } from "../model/desired-state.js";
import type {
  DesiredExclusiveSet,
  DesiredPolicies,
  DesiredPrice,
  DesiredSeatCeiling,
  DesiredSeatPool,
} from "../model/economics.js";
import type { Problem, SourceLocation } from "../model/problem.js";
import { isCurrencyCode, ISO_CURRENCY_CODES } from "../economics/currency-codes.js";
import { closestMatches, didYouMean } from "../util/suggest.js";
import type { ManifestDocument } from "./manifest-document.js";
import { locate, type ParsedDocument, type PathSegment } from "./yaml-source.js";

/** A schema-checked document and the way back to its positions. */
interface Source {
  readonly parsed: ParsedDocument;
  readonly manifest: ManifestDocument;
}

const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;

/** The problem for a currency code that is not ISO 4217, with the likeliest codes meant. */
export function currencyProblem(currency: string, location: SourceLocation): Problem {
  const suggestion = didYouMean(closestMatches(currency.toUpperCase(), ISO_CURRENCY_CODES));
  return {
    code: "invalid-currency",
    severity: "error",
    message: `"${currency}" is not an ISO 4217 currency code`,
    hint: `${suggestion || "Use a three-letter code such as USD, EUR or GBP."}`,
    location,
  };
}

/**
 * Checks a list of prices on its own terms: currencies are ISO 4217 and no
 * SKU (as written, case-insensitively) is priced twice. The same SKU under
 * two names is caught when names are resolved.
 */
export function checkPrices(prices: readonly DesiredPrice[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, SourceLocation>();
  for (const price of prices) {
    if (!isCurrencyCode(price.currency)) problems.push(currencyProblem(price.currency, price.location));
    const key = price.sku.trim().toLowerCase();
    const first = seen.get(key);
    if (first) {
      problems.push({
        code: "duplicate-price",
        severity: "error",
        message: `${price.sku} is priced here and at ${at(first)}`,
        hint: "Price each SKU once: delete one of the two entries.",
        location: price.location,
      });
      continue;
    }
    seen.set(key, price.location);
  }
  return problems;
}

/** The `prices:` entries of every document, in file order. */
export function pricesOf(documents: readonly Source[]): DesiredPrice[] {
  return documents.flatMap((source) =>
    (source.manifest.prices ?? []).flatMap((entry, i): DesiredPrice[] =>
      // Entries that failed the schema were blanked out before merging.
      entry
        ? [
            {
              sku: entry.sku,
              amount: entry.amount,
              currency: entry.currency,
              period: entry.period,
              location: locate(source.parsed, ["prices", i]),
            },
          ]
        : [],
    ),
  );
}

/**
 * The one `policies:` section (stated once across files, like scope), with
 * every SKU name located for resolution and the rules that need no catalog
 * checked.
 */
export function policiesOf(documents: readonly Source[]): {
  policies?: DesiredPolicies;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  let first: { source: Source; location: SourceLocation } | undefined;
  for (const source of documents) {
    if (source.manifest.policies === undefined) continue;
    const location = locate(source.parsed, ["policies"], "key");
    if (first) {
      problems.push({
        code: "duplicate-section",
        severity: "error",
        message: `policies is stated here and at ${at(first.location)}; it may be stated only once`,
        hint: "Keep one policies section (e.g. in the file with tenant) and delete the other.",
        location,
      });
    } else first = { source, location };
  }
  if (!first) return { problems };
  const { parsed, manifest } = first.source;
  const value = manifest.policies!;
  const here = (path: readonly PathSegment[]) => locate(parsed, ["policies", ...path]);
  const name = (text: string, path: readonly PathSegment[]): LocatedName => ({
    name: text,
    location: here(path),
  });
  const exclusive: DesiredExclusiveSet[] = (value.exclusive ?? []).flatMap((set, i) =>
    set
      ? [{ skus: set.map((sku, j) => name(sku, ["exclusive", i, j])), location: here(["exclusive", i]) }]
      : [],
  );
  const seatCeilings: DesiredSeatCeiling[] = [];
  (value.minFreeSeats ?? []).forEach((entry, i) => {
    if (!entry) return;
    const location = here(["minFreeSeats", i]);
    if (entry.seats === undefined && entry.percent === undefined) {
      problems.push({
        code: "empty-seat-ceiling",
        severity: "error",
        message: `the minFreeSeats entry for ${entry.sku} says neither how many seats nor what share must stay free`,
        hint: "Add `seats: N` (a number of seats), `percent: N` (a share of the enabled seats), or both.",
        location,
      });
      return;
    }
    seatCeilings.push({
      sku: name(entry.sku, ["minFreeSeats", i, "sku"]),
      ...(entry.seats !== undefined ? { minFree: entry.seats } : {}),
      ...(entry.percent !== undefined ? { minFreePercent: entry.percent } : {}),
      location,
    });
  });
  const seatPools: DesiredSeatPool[] = (value.seatPools ?? []).flatMap((entry, i) =>
    entry
      ? [
          {
            attribute: "department" as const,
            value: entry.department,
            sku: name(entry.sku, ["seatPools", i, "sku"]),
            max: entry.max,
            location: here(["seatPools", i]),
          },
        ]
      : [],
  );
  return {
    policies: {
      exclusive,
      seatCeilings,
      seatPools,
      ...(value.inactiveDays !== undefined ? { inactiveDays: value.inactiveDays } : {}),
      exempt: (value.exempt ?? []).map((user, i) => name(user, ["exempt", i])),
      ...(value.renewals?.warnDays !== undefined ? { renewalWarningDays: value.renewals.warnDays } : {}),
      ...(value.renewals?.reserve !== undefined ? { renewalReserve: value.renewals.reserve } : {}),
      location: first.location,
    },
    problems,
  };
}
