import type { ChangeOutcome } from "../../apply/apply-result.js";

/** What a change does, in a few words: `add SPE_E5, remove ENTERPRISEPACK` or `usage location US (was none)`. */
export function describeOutcomeAction(outcome: ChangeOutcome): string {
  if (outcome.usageLocation) {
    return `usage location ${outcome.usageLocation.to} (was ${outcome.usageLocation.from ?? "none"})`;
  }
  const skus = outcome.skus;
  if (!skus) return outcome.kind;
  const parts: string[] = [];
  const names = (list: readonly { skuPartNumber: string }[]) =>
    list.map((sku) => sku.skuPartNumber).join(", ");
  if (skus.add.length > 0) parts.push(`add ${names(skus.add)}`);
  if (skus.update.length > 0) parts.push(`update ${names(skus.update)}`);
  if (skus.remove.length > 0) parts.push(`remove ${names(skus.remove)}`);
  return parts.length > 0 ? parts.join(", ") : "no license change";
}

/** `850ms`, `3.2s`, `2m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
}
