/**
 * Formats an amount in its currency, with a sign when asked: "$1,140.00",
 * "+$1,140.00", "-€54.75". One place, so every report spells money alike.
 */
export function formatMoney(amount: number, currency: string, signed = false): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    ...(signed ? { signDisplay: "exceptZero" as const } : {}),
  }).format(amount);
}
