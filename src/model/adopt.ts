import type { DriftPrincipal } from "./drift.js";
import type { JsonPatchOperation, ServicePlanRef, SkuRef } from "./plan.js";

/**
 * The adoption model: the manifest edit that makes the manifests describe
 * what the tenant does now, for the drifted principals in scope. Plain,
 * JSON-serialisable data; renderers derive every message from it.
 */

export const ADOPT_FORMAT_VERSION = 1;

/** What `--only` selects. */
export const ADOPT_SELECTIONS = ["users", "groups", "usage-locations"] as const;
/** One kind of drift `adopt --only` can carry back into the manifests. */
export type AdoptSelection = (typeof ADOPT_SELECTIONS)[number];

/**
 * One thing the tenant does that the manifests now say, and the drift item
 * (a pending change of the plan, by its id) it comes from.
 */
export type AdoptedItem =
  | {
      /** The tenant holds the SKU directly and the manifests did not declare it (plan would remove it). */
      readonly kind: "declare-license";
      readonly changeId: string;
      readonly sku: SkuRef;
      readonly disabledPlans: readonly ServicePlanRef[];
    }
  | {
      /** The manifests declared the SKU and the tenant does not hold it directly (plan would add it). */
      readonly kind: "drop-license";
      readonly changeId: string;
      readonly sku: SkuRef;
    }
  | {
      /** The SKU's disabled plans differ (plan would update them). */
      readonly kind: "set-plans";
      readonly changeId: string;
      readonly sku: SkuRef;
      readonly disabledPlans: readonly ServicePlanRef[];
    }
  | {
      /** The usage location differs (plan would set it); `tenant` null: the tenant has none. */
      readonly kind: "set-usage-location";
      readonly changeId: string;
      readonly manifest: string;
      readonly tenant: string | null;
    };

/** How the manifest entry of a principal changes. */
export type AdoptAction = "add-entry" | "edit-entry" | "remove-entry";

/** Why a new entry went to its file (see `placeNewEntry`). */
export type PlacementReason =
  | "into" // --into FILE
  | "same-licenses" // the file holds entries with exactly these licenses
  | "shared-licenses" // the file holds entries sharing a SKU or profile with it
  | "most-entries" // no peers anywhere: the file with most entries of its kind
  | "first-file"; // no entries of its kind anywhere: the first manifest file

/** One edit of one manifest entry. */
export interface AdoptEdit {
  readonly principal: DriftPrincipal;
  readonly action: AdoptAction;
  /** Repository-relative path of the file edited. */
  readonly file: string;
  /** 1-based line of the entry in the file before the edit; the line after which it was inserted for new entries. */
  readonly line: number;
  readonly items: readonly AdoptedItem[];
  /** For new entries: why this file. */
  readonly placement?: PlacementReason;
  /** Profiles the entry now references for the licenses it declares. */
  readonly profiles?: readonly string[];
}

/** Why a drifted principal was left alone. */
export type AdoptSkipReason =
  | "protected" // protect.users / protect.groups: never edited
  | "not-selected" // outside --only / --principal
  | "default-usage-location" // the plan sets tenant.defaultUsageLocation because it adds a license; nothing to declare
  | "shared-anchor" // the entry's content is shared with other entries through a YAML anchor
  | "unsupported-layout"; // the entry is not an item of a block list (e.g. inside `users: [...]`)

/** A principal whose drift was left alone, and why. */
export interface AdoptSkip {
  readonly principal: DriftPrincipal;
  readonly reason: AdoptSkipReason;
  /** The drift items (pending change ids) not adopted. */
  readonly changeIds: readonly string[];
  /** For shared-anchor: the anchor's name. */
  readonly anchor?: string;
}

/** The edit of one manifest file. */
export interface FileAdoption {
  /** Path relative to the repository root (or to the working directory outside a repository), `/` separators. */
  readonly path: string;
  readonly before: string;
  readonly after: string;
  /** RFC 6902 operations that turn the file's data before into its data after. */
  readonly operations: readonly JsonPatchOperation[];
  readonly edits: readonly AdoptEdit[];
}

/** What adoption edits: the files that change and the principals left alone; versioned like the plan file. */
export interface AdoptionResult {
  readonly formatVersion: typeof ADOPT_FORMAT_VERSION;
  readonly tenant: { readonly id: string; readonly displayName: string };
  /** Files that change, in manifest-set order. */
  readonly files: readonly FileAdoption[];
  readonly skipped: readonly AdoptSkip[];
}
