import type { AdoptEdit, AdoptedItem, AdoptSkip, PlacementReason } from "../../model/adopt.js";
import type { ServicePlanRef } from "../../model/plan.js";

const plans = (refs: readonly ServicePlanRef[]) =>
  refs.length === 0 ? "none" : refs.map((p) => p.name).join(", ");

/** What an adopted item changes in the manifests and why, in one line. */
export function describeItem(item: AdoptedItem): string {
  switch (item.kind) {
    case "declare-license":
      return `declares ${item.sku.skuPartNumber} (disabled plans: ${plans(item.disabledPlans)}): the tenant assigns it directly and no manifest declared it, so plan would remove it`;
    case "drop-license":
      return `drops ${item.sku.skuPartNumber}: it was declared and the tenant no longer assigns it directly, so plan would assign it again`;
    case "set-plans":
      return `sets the disabled plans of ${item.sku.skuPartNumber} to ${plans(item.disabledPlans)}: the tenant's assignment disables ${item.disabledPlans.length === 0 ? "none" : "exactly these"}, so plan would change it back`;
    case "set-usage-location":
      return item.tenant === null
        ? `drops usageLocation ${item.manifest}: the tenant's user has none, so plan would set it`
        : `sets usageLocation to ${item.tenant} (was ${item.manifest}): the tenant's user is there, so plan would set it back`;
  }
}

const PLACEMENT: Record<PlacementReason, string> = {
  into: "the file named by --into",
  "same-licenses": "the file holding the most entries with the same licenses",
  "shared-licenses": "the file holding the most entries that share a license with it",
  "most-entries": "no entry shares a license with it: the file holding the most entries of its kind",
  "first-file": "no file holds entries of its kind: the first manifest file",
};

const ACTION: Record<AdoptEdit["action"], string> = {
  "add-entry": "new entry",
  "edit-entry": "entry edited",
  "remove-entry": "entry removed (its last license went)",
};

/** The lines that say what one edit adopts, each drift item with its pending change id. */
export function describeEdit(edit: AdoptEdit): string[] {
  const where = edit.line > 0 ? `${edit.file}:${edit.line}` : edit.file;
  const lines = [`${where}: ${edit.principal.kind} ${edit.principal.name}: ${ACTION[edit.action]}`];
  if (edit.placement) lines.push(`  placed in ${PLACEMENT[edit.placement]}`);
  if (edit.profiles && edit.profiles.length > 0)
    lines.push(`  written with profile ${edit.profiles.join(", ")}: its licenses match exactly`);
  for (const item of edit.items) lines.push(`  - ${describeItem(item)} [drift ${item.changeId}]`);
  return lines;
}

const SKIP: Record<AdoptSkip["reason"], string> = {
  protected:
    "is protected (protect): adopt never edits it; revert the change in the tenant, or edit the manifests by hand",
  "not-selected": "is outside --only / --principal",
  "default-usage-location":
    "gets tenant.defaultUsageLocation only because the plan adds a license; adopting that license drops this change",
  "unsupported-layout":
    "is written inside a flow list (`users: [...]`), which adopt does not edit entry by entry: edit it by hand",
  "shared-anchor":
    "shares its YAML with other entries through an anchor, so editing it would edit them: edit it by hand",
};

/** Why a drifted principal was left alone, in one line. */
export function describeSkip(skip: AdoptSkip): string {
  const anchor = skip.anchor !== undefined ? ` (&${skip.anchor})` : "";
  return `${skip.principal.kind} ${skip.principal.name} ${SKIP[skip.reason]}${anchor} [drift ${skip.changeIds.join(", ")}]`;
}
