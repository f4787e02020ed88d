import type { CatalogSku } from "../src/catalog/catalog.js";
import { generateTenant } from "../src/emulator/index.js";
import type { FixtureLicense, FixtureSku, TenantFixture } from "../src/emulator/index.js";

/** SKUs added to the generator's ten, with seats for everyone: drift adds and swaps land on them. */
export const EXTRA_SKUS = ["AAD_PREMIUM_P2", "SPE_F1"] as const;
/** The SKU that group additions and user additions use (plenty of seats). */
export const ADD_SKU = EXTRA_SKUS[0];
/** The SKU that swaps move users to. */
export const SWAP_SKU = EXTRA_SKUS[1];

/** A benchmark tenant: the generator's mix on 200 groups and 12 SKUs. */
export function benchTenant(users: number, groups = 200, seed = 7): TenantFixture {
  const base = generateTenant({ users, groups, skus: 10, seed });
  const extra: FixtureSku[] = EXTRA_SKUS.map((sku) => ({ sku, seats: users + 1000 }));
  return { ...base, skus: [...base.skus, ...extra] };
}

/** A manifest file to write: a name relative to the manifest directory and its YAML text. */
export interface ManifestFile {
  readonly name: string;
  readonly text: string;
}

/** How the manifests differ from the tenant, by construction. */
export interface DriftCounts {
  readonly userRemovals: number;
  readonly userUpdates: number;
  readonly userSwaps: number;
  readonly userAdds: number;
  readonly usageLocations: number;
  readonly groupUpdates: number;
  readonly groupAdds: number;
  readonly groupRemovals: number;
}

/** Manifests for a tenant plus the groups they name (the reader reads those groups' members). */
export interface BenchManifests {
  readonly files: readonly ManifestFile[];
  readonly drift: DriftCounts;
  /** Display names of the groups the manifests declare. */
  readonly namedGroups: readonly string[];
}

const USERS_PER_FILE = 5_000;
const q = (s: string): string => JSON.stringify(s);

function licenseYaml(license: FixtureLicense, indent: string): string {
  const plans = license.disabledPlans?.length
    ? `\n${indent}  disabledPlans: [${license.disabledPlans.map(q).join(", ")}]`
    : "";
  return `${indent}- sku: ${q(license.sku)}${plans}`;
}

function principalYaml(
  key: "user" | "group",
  ref: string,
  licenses: readonly FixtureLicense[],
  extra = "",
): string {
  const list =
    licenses.length === 0 ? " []" : `\n${licenses.map((l) => licenseYaml(l, "      ")).join("\n")}`;
  return `  - ${key}: ${q(ref)}${extra}\n    licenses:${list}`;
}

/** How the user entries are laid out. */
export interface ManifestShape {
  /**
   * Declare this many users in all: after the licensed ones, users without a
   * direct license are listed too (`licenses: []`, with their usage location),
   * as an export of every account from an HR system would. Default: only the
   * users that hold or gain a direct license.
   */
  readonly declaredUsers?: number;
  /** All users in one `users.yaml` instead of files of 5,000. */
  readonly oneFile?: boolean;
  /**
   * Licenses through groups only: the manifests declare the groups and no
   * user, in additive mode (direct assignments are left as they are).
   */
  readonly groupsOnly?: boolean;
}

/**
 * Manifests that declare the tenant's direct assignments and group licenses
 * as they are, except for deliberate drift spread evenly through the tenant:
 * removals, disabled-plan updates, swaps, additions (some needing the default
 * usage location), usage-location changes, and one group each updated,
 * licensed and unlicensed. Deterministic.
 */
export function benchManifests(
  tenant: TenantFixture,
  lookupSku: (partNumber: string) => CatalogSku,
  shape: ManifestShape = {},
): BenchManifests {
  const header = (extra: string) => `apiVersion: licensectl/v1\ntenant:\n  id: ${tenant.tenant.id}\n${extra}`;
  const scope = tenant.skus.map((s) => q(s.sku)).join(", ");
  const protectedUser = tenant.users[0]?.upn;
  const tenantFile: ManifestFile = {
    name: "tenant.yaml",
    text:
      header("  defaultUsageLocation: US\n") +
      `scope:\n  skus: [${scope}]\n  mode: ${shape.groupsOnly ? "additive" : "authoritative"}\n` +
      (protectedUser ? `protect:\n  users: [${q(protectedUser)}]\n` : "") +
      `limits:\n  maxRemovals: ${tenant.users.length * 2}\n`,
  };

  const drift = {
    userRemovals: 0,
    userUpdates: 0,
    userSwaps: 0,
    userAdds: 0,
    usageLocations: 0,
    groupUpdates: 0,
    groupAdds: 0,
    groupRemovals: 0,
  };
  const groupEntries: string[] = [];
  const namedGroups: string[] = [];
  let licensedSeen = 0;
  let unlicensedSeen = 0;
  for (const group of tenant.groups ?? []) {
    const licenses = group.licenses ?? [];
    if (licenses.length > 0) {
      licensedSeen += 1;
      let declared = licenses;
      if (licensedSeen === 2) {
        // Update: one more plan disabled in the group's SKU.
        const first = licenses[0]!;
        const sku = lookupSku(first.sku);
        const disabled = new Set(first.disabledPlans ?? []);
        const plan = sku.servicePlans.find((p) => !disabled.has(p.name));
        if (plan) {
          declared = [{ sku: first.sku, disabledPlans: [...disabled, plan.name] }, ...licenses.slice(1)];
          drift.groupUpdates += 1;
        }
      } else if (licensedSeen === 3) {
        declared = [];
        drift.groupRemovals += 1;
      }
      groupEntries.push(principalYaml("group", group.name, declared));
      namedGroups.push(group.name);
    } else if (unlicensedSeen++ === 0) {
      groupEntries.push(principalYaml("group", group.name, [{ sku: ADD_SKU }]));
      namedGroups.push(group.name);
      drift.groupAdds += 1;
    }
  }
  const groupsFile: ManifestFile = {
    name: "groups.yaml",
    text: header("") + `groups:\n${groupEntries.join("\n")}\n`,
  };

  if (shape.groupsOnly) return { files: [tenantFile, groupsFile], drift, namedGroups };
  const userEntries: string[] = [];
  const bareEntries: string[] = [];
  let directSeen = 0;
  let bareSeen = 0;
  for (const user of tenant.users) {
    const licenses = user.licenses ?? [];
    if (user.upn === protectedUser) {
      if (licenses.length > 0) userEntries.push(principalYaml("user", user.upn, licenses));
      continue;
    }
    if (licenses.length === 0) {
      bareSeen += 1;
      // Every 50th unlicensed user gains a license; those without a usage location get the default.
      if (bareSeen % 50 === 0) {
        userEntries.push(principalYaml("user", user.upn, [{ sku: ADD_SKU }]));
        drift.userAdds += 1;
        if (!user.usageLocation) drift.usageLocations += 1;
      } else if (shape.declaredUsers !== undefined) {
        const location = user.usageLocation ? `\n    usageLocation: ${user.usageLocation}` : "";
        bareEntries.push(principalYaml("user", user.upn, [], location));
      }
      continue;
    }
    directSeen += 1;
    const slot = directSeen % 100;
    let declared: readonly FixtureLicense[] = licenses;
    let extra = "";
    if (slot === 1) {
      declared = [];
      drift.userRemovals += 1;
    } else if (slot === 2) {
      const first = licenses[0]!;
      const plan = lookupSku(first.sku).servicePlans[0];
      const current = first.disabledPlans ?? [];
      const next = current.length > 0 ? [] : plan ? [plan.name] : [];
      declared = [{ sku: first.sku, ...(next.length ? { disabledPlans: next } : {}) }, ...licenses.slice(1)];
      drift.userUpdates += 1;
    } else if (slot === 3) {
      declared = [{ sku: SWAP_SKU }];
      drift.userSwaps += 1;
    } else if (slot === 4 && user.usageLocation) {
      extra = `\n    usageLocation: ${user.usageLocation === "GB" ? "IE" : "GB"}`;
      drift.usageLocations += 1;
    }
    userEntries.push(principalYaml("user", user.upn, declared, extra));
  }
  if (shape.declaredUsers !== undefined)
    userEntries.push(...bareEntries.slice(0, Math.max(0, shape.declaredUsers - userEntries.length)));
  const userFiles: ManifestFile[] = [];
  if (shape.oneFile)
    userFiles.push({ name: "users.yaml", text: header("") + `users:\n${userEntries.join("\n")}\n` });
  else
    for (let i = 0; i < userEntries.length; i += USERS_PER_FILE) {
      const chunk = userEntries.slice(i, i + USERS_PER_FILE);
      const n = String(userFiles.length + 1).padStart(3, "0");
      userFiles.push({ name: `users/users-${n}.yaml`, text: header("") + `users:\n${chunk.join("\n")}\n` });
    }
  return { files: [tenantFile, groupsFile, ...userFiles], drift, namedGroups };
}

/**
 * Manifests for the apply benchmark: `changes` users with a usage location
 * each gain {@link ADD_SKU}, the only SKU in scope, so the plan is exactly
 * that many assignLicense calls in one wave.
 */
export function applyManifests(tenant: TenantFixture, changes: number): ManifestFile[] {
  const users = tenant.users.filter((u) => u.usageLocation).slice(0, changes);
  if (users.length < changes)
    throw new Error(`the tenant has only ${users.length} users with a usage location`);
  const entries = users.map((u) => principalYaml("user", u.upn, [{ sku: ADD_SKU }]));
  return [
    {
      name: "apply.yaml",
      text:
        `apiVersion: licensectl/v1\ntenant:\n  id: ${tenant.tenant.id}\n` +
        `scope:\n  skus: [${q(ADD_SKU)}]\n  mode: authoritative\n` +
        `users:\n${entries.join("\n")}\n`,
    },
  ];
}

/**
 * HTTP requests the reader must make reading users page after page (read
 * concurrency 1), by construction: ceil(users/999) + ceil(groups/999) + 1
 * ($batch of organization and subscribedSkus) + the `$batch` requests that
 * carry the member pages of every group that is licensed or that the
 * manifests name (round r holds the r-th page of each group that has one,
 * 20 to a batch).
 */
export function expectedReadRequests(
  tenant: TenantFixture,
  namedGroups: readonly string[],
): {
  readonly total: number;
  readonly memberPages: number;
  readonly memberBatches: number;
} {
  const named = new Set(namedGroups.map((n) => n.toLowerCase()));
  const pagesPerGroup: number[] = [];
  for (const group of tenant.groups ?? []) {
    if ((group.licenses?.length ?? 0) === 0 && !named.has(group.name.toLowerCase())) continue;
    pagesPerGroup.push(Math.max(1, Math.ceil((group.members?.length ?? 0) / 999)));
  }
  let memberBatches = 0;
  for (let round = 1; round <= Math.max(0, ...pagesPerGroup); round += 1) {
    memberBatches += Math.ceil(pagesPerGroup.filter((pages) => pages >= round).length / 20);
  }
  const memberPages = pagesPerGroup.reduce((sum, pages) => sum + pages, 0);
  const groups = tenant.groups?.length ?? 0;
  const total =
    Math.ceil(tenant.users.length / 999) + Math.max(1, Math.ceil(groups / 999)) + 1 + memberBatches;
  return { total, memberPages, memberBatches };
}
