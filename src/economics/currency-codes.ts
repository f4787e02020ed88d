/**
 * ISO 4217 alphabetic codes of the currencies in circulation (list one of the
 * standard, as maintained by SIX for ISO), without the fund and metal codes.
 */
export const ISO_CURRENCY_CODES: ReadonlySet<string> = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
    "CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF " +
    "GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP " +
    "LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB " +
    "PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL " +
    "THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR " +
    "ZMW ZWG"
  ).split(" "),
);

export function isCurrencyCode(code: string): boolean {
  return ISO_CURRENCY_CODES.has(code);
}

/** Decimal places of the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD). */
export function minorUnitDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Rounds an amount to the currency's minor unit, so sums and JSON carry no float noise. */
export function roundMoney(amount: number, currency: string): number {
  const factor = 10 ** minorUnitDigits(currency);
  const rounded = Math.round(amount * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}
