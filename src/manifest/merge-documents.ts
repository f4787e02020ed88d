import type {
  DesiredLicense,
  DesiredPrincipal,
  DesiredState,
  LocatedName,
  ScopeMode,
} from "../model/desired-state.js";
import type { Problem, SourceLocation } from "../model/problem.js";
import { normalizeGuid } from "../util/guid.js";
import { closestMatches, didYouMean } from "../util/suggest.js";
import { countryCodeHint, isCountryCode } from "./country-codes.js";
import { checkPrices, policiesOf, pricesOf } from "./merge-economics.js";
import type { ManifestDocument, ManifestLicense, ManifestSkuLicense } from "./manifest-document.js";
import { locate, type ParsedDocument, type PathSegment } from "./yaml-source.js";

/** A manifest document that passed the schema, with the way back to its positions. */
export interface ValidDocument {
  readonly parsed: ParsedDocument;
  readonly manifest: ManifestDocument;
  /** Read because a manifest imports it: its profiles give way to the manifests' own. */
  readonly library?: boolean;
}

const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;

interface Located<T> {
  readonly value: T;
  readonly location: SourceLocation;
  readonly source: ValidDocument;
  readonly path: readonly PathSegment[];
}

/** Merges documents into one desired state: sections once, principals and profiles unique, profiles expanded. */
export function mergeDocuments(
  documents: readonly ValidDocument[],
  files: readonly string[],
  digest: string,
): {
  state: DesiredState;
  problems: Problem[];
  /** Profiles no user or group uses, expanded, so their names can still be checked. */
  unusedProfiles: ReadonlyMap<string, readonly DesiredLicense[]>;
} {
  const problems: Problem[] = [];
  const error = (code: string, message: string, location: SourceLocation, hint: string) =>
    problems.push({ code, severity: "error", message, hint, location });

  // tenant: may repeat, must agree.
  const tenant: { id?: string; defaultUsageLocation?: string } = {};
  const tenantSeen = new Map<string, SourceLocation>();
  for (const source of documents) {
    const t = source.manifest.tenant;
    if (!t) continue;
    for (const field of ["id", "defaultUsageLocation"] as const) {
      const value = t[field];
      if (value === undefined) continue;
      const location = locate(source.parsed, ["tenant", field]);
      const first = tenantSeen.get(field);
      const current = tenant[field];
      if (first && current !== undefined) {
        const same = field === "id" ? current.toLowerCase() === value.toLowerCase() : current === value;
        if (!same) {
          error(
            "tenant-mismatch",
            `tenant.${field} is "${value}" here but "${current}" at ${at(first)}`,
            location,
            "Every file that states tenant must state the same values; correct one of the two.",
          );
        }
        continue;
      }
      tenant[field] = field === "id" ? normalizeGuid(value) : value;
      tenantSeen.set(field, location);
      if (field === "defaultUsageLocation" && !isCountryCode(value)) {
        error(
          "invalid-usage-location",
          `"${value}" is not an ISO 3166-1 country code`,
          location,
          countryCodeHint(value),
        );
      }
    }
  }

  // scope, protect, limits: stated once.
  const once = <K extends "scope" | "protect" | "limits">(
    key: K,
  ): Located<NonNullable<ManifestDocument[K]>> | undefined => {
    let first: Located<NonNullable<ManifestDocument[K]>> | undefined;
    for (const source of documents) {
      const value = source.manifest[key];
      if (value === undefined) continue;
      const location = locate(source.parsed, [key], "key");
      if (first) {
        error(
          "duplicate-section",
          `${key} is stated here and at ${at(first.location)}; it may be stated only once`,
          location,
          `Keep one ${key} section (e.g. in the file with tenant) and delete the other.`,
        );
      } else {
        first = { value: value as NonNullable<ManifestDocument[K]>, location, source, path: [key] };
      }
    }
    return first;
  };
  const scope = once("scope");
  const protect = once("protect");
  const limits = once("limits");
  const names = (section: Located<object> | undefined, key: string): LocatedName[] => {
    const list = (section?.value as Record<string, unknown> | undefined)?.[key];
    if (!section || !Array.isArray(list)) return [];
    return list.map((name: string, i) => ({
      name,
      location: locate(section.source.parsed, [...section.path, key, i]),
    }));
  };
  if (!scope && documents.length > 0) {
    problems.push({
      code: "missing-scope",
      severity: "error",
      message: "no manifest file states scope, so licensectl would not know which SKUs it manages",
      hint: "Add `scope: { skus: [...], mode: authoritative }` to one file (e.g. tenant.yaml), or validate the whole directory.",
      location: locate(documents[0]!.parsed, []),
    });
  }

  // profiles: unique names across files. A manifest's own profile replaces an imported library's of
  // the same name (the one override the schema documents); two of the same kind clash.
  const profiles = new Map<string, Located<readonly ManifestSkuLicense[]>>();
  const own = documents.filter((d) => !d.library);
  for (const source of [...own, ...documents.filter((d) => d.library)]) {
    for (const [name, licenses] of Object.entries(source.manifest.profiles ?? {})) {
      const location = locate(source.parsed, ["profiles", name], "key");
      const first = profiles.get(name);
      if (first && source.library && !first.source.library) continue;
      if (first) {
        error(
          "duplicate-profile",
          `profile "${name}" is defined here and at ${at(first.location)}`,
          location,
          "Rename or delete one of the two profiles.",
        );
        continue;
      }
      profiles.set(name, { value: licenses, location, source, path: ["profiles", name] });
    }
  }

  const skuLicense = (
    entry: ManifestSkuLicense,
    source: ValidDocument,
    path: readonly PathSegment[],
  ): DesiredLicense => {
    if (entry.disabledPlans && entry.enabledPlans) {
      error(
        "both-plan-lists",
        `the license for "${entry.sku}" has both enabledPlans and disabledPlans`,
        locate(source.parsed, [...path, "enabledPlans"], "key"),
        "Keep one: enabledPlans (allow-list: only these plans are on) or disabledPlans (deny-list: these plans are off).",
      );
    }
    const locations = (key: "disabledPlans" | "enabledPlans") =>
      entry[key]?.map((_, i) => locate(source.parsed, [...path, key, i]));
    const disabledAt = locations("disabledPlans");
    const enabledAt = locations("enabledPlans");
    return {
      sku: entry.sku,
      ...(entry.disabledPlans ? { disabledPlans: entry.disabledPlans } : {}),
      ...(entry.enabledPlans ? { enabledPlans: entry.enabledPlans } : {}),
      location: locate(source.parsed, path),
      ...(disabledAt || enabledAt
        ? {
            planLocations: {
              ...(disabledAt ? { disabledPlans: disabledAt } : {}),
              ...(enabledAt ? { enabledPlans: enabledAt } : {}),
            },
          }
        : {}),
    };
  };
  // Check profile entries once, even when no one uses the profile.
  const expandedProfiles = new Map<string, DesiredLicense[]>();
  const usedProfiles = new Set<string>();
  for (const [name, profile] of profiles) {
    expandedProfiles.set(
      name,
      profile.value.map((entry, i) => skuLicense(entry, profile.source, [...profile.path, i])),
    );
  }

  const licensesOf = (
    list: readonly ManifestLicense[] | undefined,
    source: ValidDocument,
    path: readonly PathSegment[],
  ) => {
    const result: DesiredLicense[] = [];
    (list ?? []).forEach((entry, i) => {
      const entryPath = [...path, i];
      if ("profile" in entry) {
        const location = locate(source.parsed, entryPath);
        const expanded = expandedProfiles.get(entry.profile);
        usedProfiles.add(entry.profile);
        if (!expanded) {
          const suggestion = didYouMean(closestMatches(entry.profile, expandedProfiles.keys()));
          const known = [...expandedProfiles.keys()].sort();
          error(
            "unknown-profile",
            `profile "${entry.profile}" is not defined in any manifest file`,
            locate(source.parsed, [...entryPath, "profile"]),
            suggestion ||
              (known.length
                ? `Defined profiles: ${known.join(", ")}.`
                : "Define it under `profiles:` in one of the files, or validate the whole directory if it is defined elsewhere."),
          );
          return;
        }
        for (const license of expanded)
          result.push({ ...license, viaProfile: { name: entry.profile, location } });
      } else {
        result.push(skuLicense(entry, source, entryPath));
      }
    });
    return result;
  };

  const principals = (kind: "user" | "group") => {
    const result: DesiredPrincipal[] = [];
    const seen = new Map<string, SourceLocation>();
    for (const source of documents) {
      const list = kind === "user" ? source.manifest.users : source.manifest.groups;
      (list ?? []).forEach((entry, i) => {
        // Entries that failed the schema were blanked out before merging.
        if (!entry) return;
        const path = [kind === "user" ? "users" : "groups", i];
        const ref = "user" in entry ? entry.user : entry.group;
        const location = locate(source.parsed, path);
        const key = ref.trim().toLowerCase();
        const first = seen.get(key);
        if (first) {
          error(
            `duplicate-${kind}`,
            `${kind} "${ref}" is defined here and at ${at(first)}${kind === "user" ? " (user names compare case-insensitively)" : ""}`,
            location,
            `Define each ${kind} once: merge the two entries' licenses into one.`,
          );
          return;
        }
        seen.set(key, location);
        const usageLocation = "usageLocation" in entry ? entry.usageLocation : undefined;
        if (usageLocation !== undefined && !isCountryCode(usageLocation)) {
          error(
            "invalid-usage-location",
            `"${usageLocation}" is not an ISO 3166-1 country code`,
            locate(source.parsed, [...path, "usageLocation"]),
            countryCodeHint(usageLocation),
          );
        }
        result.push({
          kind,
          ref,
          ...(usageLocation !== undefined ? { usageLocation } : {}),
          licenses: licensesOf(entry.licenses, source, [...path, "licenses"]),
          location,
        });
      });
    }
    return result;
  };
  const groups = principals("group");
  const users = principals("user");

  const prices = pricesOf(documents);
  problems.push(...checkPrices(prices));
  const policies = policiesOf(documents);
  problems.push(...policies.problems);

  const state: DesiredState = {
    tenant,
    scope: { skus: names(scope, "skus"), mode: (scope?.value.mode ?? "authoritative") as ScopeMode },
    protect: { users: names(protect, "users"), groups: names(protect, "groups") },
    limits: limits?.value.maxRemovals !== undefined ? { maxRemovals: limits.value.maxRemovals } : {},
    users,
    groups,
    ...(prices.length > 0 ? { prices } : {}),
    ...(policies.policies ? { policies: policies.policies } : {}),
    files,
    digest,
  };
  const unusedProfiles = new Map(
    [...expandedProfiles]
      // A library's profiles serve many tenants: one this tenant does not use is not its business.
      .filter(([name]) => !usedProfiles.has(name) && !profiles.get(name)!.source.library)
      .map(([name, licenses]) => {
        const location = profiles.get(name)!.location;
        return [name, licenses.map((license) => ({ ...license, viaProfile: { name, location } }))] as const;
      }),
  );
  return { state, problems, unusedProfiles };
}
