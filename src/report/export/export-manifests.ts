import { Document, isMap, isScalar, isSeq, visit } from "yaml";
import { Catalog } from "../../catalog/catalog.js";
import type { AssignedLicense, LiveGroup, LiveSku, LiveState, LiveUser } from "../../model/live-state.js";
import type { Problem } from "../../model/problem.js";
import { normalizeGuid } from "../../util/guid.js";
import { selectExportSkus } from "./select-export-skus.js";

/** Options of `licensectl export`. */
export interface ExportOptions {
  /** SKUs to export, by part number, skuId or product name; default every SKU that applies to users. */
  readonly skus?: readonly string[];
  /**
   * Where the `yaml-language-server` comment points, relative to the written
   * files. Default `../schemas/manifest.schema.json` (manifests in a directory
   * beside a copy of the schema); the CLI passes the path of the installed schema.
   */
  readonly schemaPath?: string;
}

/** One manifest file to write, its path relative to the output directory. */
export interface ExportedFile {
  readonly path: string;
  readonly content: string;
}

export interface ExportResult {
  /** tenant.yaml, then groups.yaml and users.yaml when they have entries. */
  readonly files: readonly ExportedFile[];
  /** Things the exported manifests cannot say exactly (warnings), for the CLI to print on stderr. */
  readonly problems: readonly Problem[];
}

/** Longest disabledPlans list written on one line. */
const FLOW_WIDTH = 80;

export const DEFAULT_EXPORT_SCHEMA_PATH = "../schemas/manifest.schema.json";

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byText = (a: string, b: string) => compare(a.toLowerCase(), b.toLowerCase()) || compare(a, b);

interface ManifestLicense {
  sku: string;
  disabledPlans?: string[];
}

/** Names the exported SKUs and their plans the way the loader will read them back. */
class ExportNames {
  private readonly skuNames = new Map<string, string>();
  private readonly planNames = new Map<string, Map<string, string>>();
  readonly problems: Problem[] = [];

  constructor(readonly skus: readonly LiveSku[]) {
    const partCounts = new Map<string, number>();
    for (const sku of skus)
      partCounts.set(
        sku.skuPartNumber.toLowerCase(),
        (partCounts.get(sku.skuPartNumber.toLowerCase()) ?? 0) + 1,
      );
    for (const sku of skus) {
      const id = normalizeGuid(sku.skuId);
      // A part number the tenant holds twice would be ambiguous; the id is not.
      this.skuNames.set(id, partCounts.get(sku.skuPartNumber.toLowerCase()) === 1 ? sku.skuPartNumber : id);
      const nameCounts = new Map<string, number>();
      for (const plan of sku.servicePlans)
        nameCounts.set(
          plan.servicePlanName.toLowerCase(),
          (nameCounts.get(plan.servicePlanName.toLowerCase()) ?? 0) + 1,
        );
      const plans = new Map<string, string>();
      for (const plan of sku.servicePlans) {
        const planId = normalizeGuid(plan.servicePlanId);
        plans.set(
          planId,
          nameCounts.get(plan.servicePlanName.toLowerCase()) === 1 ? plan.servicePlanName : planId,
        );
      }
      this.planNames.set(id, plans);
    }
  }

  exports(skuId: string): boolean {
    return this.skuNames.has(normalizeGuid(skuId));
  }

  license(license: AssignedLicense, holder: string): ManifestLicense {
    const id = normalizeGuid(license.skuId);
    const sku = this.skuNames.get(id)!;
    const plans = this.planNames.get(id)!;
    const disabled = license.disabledPlans.map((planId) => {
      const name = plans.get(normalizeGuid(planId));
      if (name === undefined) {
        this.problems.push({
          code: "export-unknown-plan",
          severity: "warning",
          message: `${holder} has service plan ${planId} disabled in ${sku}, but the tenant's ${sku} does not list that plan; exported as its id`,
          hint: "Remove it from disabledPlans if the plan no longer exists, or check the SKU with `licensectl skus --plans`.",
        });
        return normalizeGuid(planId);
      }
      return name;
    });
    return disabled.length > 0 ? { sku, disabledPlans: [...new Set(disabled)].sort(byText) } : { sku };
  }

  licenses(assigned: readonly AssignedLicense[], holder: string): ManifestLicense[] {
    return assigned
      .filter((l) => this.exports(l.skuId))
      .map((l) => this.license(l, holder))
      .sort((a, b) => byText(a.sku, b.sku));
  }

  skuName(sku: LiveSku): string {
    return this.skuNames.get(normalizeGuid(sku.skuId))!;
  }
}

/** The user's direct assignments; inherited ones are the group's business. */
function directLicenses(user: LiveUser): AssignedLicense[] {
  if (user.licenseAssignmentStates.length === 0) return [...user.assignedLicenses];
  const direct = new Map<string, AssignedLicense>();
  for (const state of user.licenseAssignmentStates) {
    if (state.assignedByGroup !== null) continue;
    direct.set(normalizeGuid(state.skuId), { skuId: state.skuId, disabledPlans: state.disabledPlans });
  }
  return [...direct.values()];
}

/** displayName when it names this group alone (the loader tries ids, then displayNames), else the id. */
function groupName(group: LiveGroup, all: readonly LiveGroup[]): { name: string; comment?: string } {
  const key = group.displayName.trim().toLowerCase();
  const twins = all.filter((g) => g.displayName.trim().toLowerCase() === key).length;
  if (twins === 1 && key !== "") return { name: group.displayName };
  return {
    name: normalizeGuid(group.id),
    comment: ` ${group.displayName.replace(/\s+/g, " ")} (display name shared by ${twins} groups)`,
  };
}

/**
 * A manifest file: header comments, then the body with short disabledPlans
 * in flow style (`[SWAY, TEAMS1]`, as people write them), long ones one per
 * line, and a blank line between
 * list entries of `list`, so that diffs of the file read per principal.
 */
function yamlFile(
  header: readonly string[],
  body: Record<string, unknown>,
  list?: string,
  decorate?: (doc: Document) => void,
): string {
  const doc = new Document(body);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === "disabledPlans" && isSeq(pair.value)) {
        const width = pair.value.items.reduce<number>(
          (sum, item) => sum + String(isScalar(item) ? item.value : "").length + 2,
          0,
        );
        pair.value.flow = width <= FLOW_WIDTH;
      }
    },
  });
  const entries = list ? doc.get(list, true) : undefined;
  if (isSeq(entries)) entries.items.forEach((item, i) => isMap(item) && i > 0 && (item.spaceBefore = true));
  decorate?.(doc);
  return `${header.map((line) => (line ? `# ${line}` : "#")).join("\n")}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}

/**
 * Manifests that describe the tenant's current direct assignments of the
 * chosen SKUs, in authoritative mode: planning them against the same tenant
 * gives no changes. Output is deterministic (sorted principals, licenses and
 * plans; no timestamps).
 */
export function exportManifests(
  live: LiveState,
  catalog: Catalog,
  options: ExportOptions = {},
): ExportResult {
  const skus = selectExportSkus(live.skus, catalog, options.skus);
  const names = new ExportNames(skus);
  const products = Catalog.fromSubscribedSkus(skus, catalog);
  const schemaLine = `yaml-language-server: $schema=${options.schemaPath ?? DEFAULT_EXPORT_SCHEMA_PATH}`;
  // Inside a comment line, a line break in the name would end the comment.
  const tenantName = (live.tenant.displayName || live.tenant.id).replace(/\s+/g, " ");
  const files: ExportedFile[] = [];

  const tenant: Record<string, string> = { id: live.tenant.id };
  const country = live.tenant.countryLetterCode?.toUpperCase();
  if (country && /^[A-Z]{2}$/.test(country)) tenant.defaultUsageLocation = country;
  const scopeSkus = skus.map((sku) => names.skuName(sku));
  files.push({
    path: "tenant.yaml",
    content: yamlFile(
      [
        schemaLine,
        "",
        `${tenantName}: exported by licensectl export.`,
        "Direct assignments of the SKUs in scope; licenses inherited from groups belong to the groups.",
      ],
      { apiVersion: "licensectl/v1", tenant, scope: { skus: scopeSkus, mode: "authoritative" } },
      undefined,
      (doc) => {
        skus.forEach((sku, i) => {
          const node = doc.getIn(["scope", "skus", i], true);
          const product = products.skuById(sku.skuId)?.displayName;
          const label = product && product !== sku.skuPartNumber ? product : undefined;
          const text =
            scopeSkus[i] === sku.skuPartNumber ? label : `${sku.skuPartNumber}${label ? `, ${label}` : ""}`;
          if (isScalar(node) && text) node.comment = ` ${text}`;
        });
      },
    ),
  });

  const groups = live.groups
    .map((group) => ({
      group,
      licenses: names.licenses(group.assignedLicenses, `group ${group.displayName}`),
    }))
    .filter((g) => g.licenses.length > 0)
    .map(({ group, licenses }) => ({
      ...groupName(group, live.groups),
      licenses,
      displayName: group.displayName,
      id: normalizeGuid(group.id),
    }))
    .sort((a, b) => byText(a.displayName, b.displayName) || compare(a.id, b.id));
  if (groups.length > 0) {
    files.push({
      path: "groups.yaml",
      content: yamlFile(
        [schemaLine, "", "Group-based licensing: members inherit these licenses."],
        {
          apiVersion: "licensectl/v1",
          tenant: { id: live.tenant.id },
          groups: groups.map((g) => ({ group: g.name, licenses: g.licenses })),
        },
        "groups",
        (doc) => {
          groups.forEach((g, i) => {
            const node = doc.getIn(["groups", i, "group"], true);
            if (isScalar(node) && g.comment) node.comment = g.comment;
          });
        },
      ),
    });
  }

  const users = live.users
    .map((user) => ({ user, licenses: names.licenses(directLicenses(user), user.userPrincipalName) }))
    .filter((u) => u.licenses.length > 0)
    .sort(
      (a, b) => byText(a.user.userPrincipalName, b.user.userPrincipalName) || compare(a.user.id, b.user.id),
    )
    .map(({ user, licenses }) => {
      const location = user.usageLocation?.toUpperCase();
      if (!location || !/^[A-Z]{2}$/.test(location)) {
        names.problems.push({
          code: "export-no-usage-location",
          severity: "warning",
          message: `${user.userPrincipalName} holds a license directly but has no usable usage location (${user.usageLocation ?? "none"}); the plan will set tenant.defaultUsageLocation`,
          hint: `Add usageLocation for ${user.userPrincipalName} in users.yaml if the default country is wrong.`,
        });
      }
      return {
        user: user.userPrincipalName,
        ...(location && /^[A-Z]{2}$/.test(location) ? { usageLocation: location } : {}),
        licenses,
      };
    });
  if (users.length > 0) {
    files.push({
      path: "users.yaml",
      content: yamlFile(
        [schemaLine, "", "Licenses assigned to users directly."],
        { apiVersion: "licensectl/v1", tenant: { id: live.tenant.id }, users },
        "users",
      ),
    });
  }
  return { files, problems: names.problems };
}
