import type { PlacementReason } from "../model/adopt.js";

/** The entries of one kind a file holds, each as the set of its license items ("profile:NAME", "sku:ID"). */
export interface PlacementCandidate {
  /** Index of the file in manifest-set order. */
  readonly file: number;
  readonly signatures: readonly ReadonlySet<string>[];
}

/**
 * Where a new entry goes, by a documented rule (docs/adopt.md):
 * 1. `--into FILE`;
 * 2. else the file holding the most entries of its kind with exactly the same
 *    licenses (the same profiles and SKUs);
 * 3. else the file holding the most entries that share a profile or SKU with it;
 * 4. else the file holding the most entries of its kind;
 * 5. else the first manifest file.
 * Ties go to the file that comes first in the manifest set.
 */
export function placeNewEntry(
  signature: ReadonlySet<string>,
  candidates: readonly PlacementCandidate[],
  into: number | undefined,
): { readonly file: number; readonly reason: PlacementReason } {
  if (into !== undefined) return { file: into, reason: "into" };
  const same = (s: ReadonlySet<string>) => s.size === signature.size && [...s].every((x) => signature.has(x));
  const shares = (s: ReadonlySet<string>) => [...s].some((x) => signature.has(x));
  const rules: [PlacementReason, (s: ReadonlySet<string>) => boolean][] = [
    ["same-licenses", same],
    ["shared-licenses", shares],
    ["most-entries", () => true],
  ];
  for (const [reason, test] of rules) {
    let best: { file: number; count: number } | undefined;
    for (const candidate of candidates) {
      const count = candidate.signatures.filter(test).length;
      if (
        count > 0 &&
        (best === undefined || count > best.count || (count === best.count && candidate.file < best.file))
      )
        best = { file: candidate.file, count };
    }
    if (best) return { file: best.file, reason };
  }
  return { file: 0, reason: "first-file" };
}
