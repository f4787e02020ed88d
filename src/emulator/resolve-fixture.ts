import type { Catalog, CatalogSku } from "../catalog/catalog.js";
import { LicensectlError } from "../model/errors.js";
import type { Problem } from "../model/problem.js";
import { isGuid } from "../util/guid.js";
import { didYouMean } from "../util/suggest.js";
import type { FixtureLicense, TenantFixture } from "./fixture-types.js";
import type { FixtureLocator } from "./fixture.js";
import { derivedId } from "./ids.js";
import {
  FIXTURE_EPOCH,
  type GroupRecord,
  type PlanRecord,
  type RulesRecord,
  type SkuRecord,
  type TenantData,
  type UserRecord,
} from "./tenant-model.js";

/** Part numbers Microsoft sells to the company rather than to users (subscribedSkus appliesTo: Company). */
const COMPANY_SKUS = new Set([
  "SHAREPOINTSTORAGE",
  "SHAREPOINTSTORAGE_GOV",
  "MCOPSTNC",
  "SHAREPOINTSTORAGE_FACULTY",
]);

const fold = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

function fromCatalogSku(sku: CatalogSku, appliesTo: "User" | "Company"): PlanRecord[] {
  return sku.servicePlans.map((plan) => ({
    servicePlanId: plan.id,
    servicePlanName: plan.name,
    provisioningStatus: "Success",
    appliesTo,
  }));
}

/**
 * Resolves a fixture's names against the catalog into tenant records. Group
 * licenses are recorded on the groups only; the tenant store hands them to
 * members when it loads. Reports every unresolvable name at once.
 */
export function resolveFixture(
  fixture: TenantFixture,
  catalog: Catalog,
  file = "tenant fixture",
  locate?: FixtureLocator,
): TenantData {
  const problems: Problem[] = [];
  // Every message starts with the YAML path of what it is about, e.g. users[3].licenses[0].sku.
  const fail = (message: string, hint?: string) => {
    const location = locate?.(/^[\w.[\]]+/.exec(message)?.[0] ?? "");
    problems.push({
      code: "fixture-unresolved",
      severity: "error",
      message: location ? message : `${file}: ${message}`,
      ...(hint ? { hint } : {}),
      ...(location ? { location } : {}),
    });
  };
  const tenantId = fixture.tenant.id.toLowerCase();

  const skus: SkuRecord[] = [];
  const skuByName = new Map<string, SkuRecord>();
  const planIndex = new Map<string, Map<string, string>>();
  fixture.skus.forEach((entry, i) => {
    const lookup = catalog.lookupSku(entry.sku);
    if (lookup.kind !== "found") {
      if (lookup.kind === "ambiguous")
        fail(
          `skus[${i}].sku "${entry.sku}" names several SKUs`,
          `Use the skuId: ${lookup.candidates.map((c) => c.id).join(", ")}.`,
        );
      else
        fail(
          `skus[${i}].sku "${entry.sku}" is not in the SKU catalog`,
          didYouMean(lookup.suggestions) || undefined,
        );
      return;
    }
    const sku = lookup.sku;
    const appliesTo =
      entry.appliesTo ?? (COMPANY_SKUS.has(sku.partNumber.toUpperCase()) ? "Company" : "User");
    const plans = fromCatalogSku(sku, appliesTo);
    for (const extra of entry.addPlans ?? []) {
      plans.push({
        servicePlanId: extra.id.toLowerCase(),
        servicePlanName: extra.name,
        provisioningStatus: "Success",
        appliesTo,
      });
    }
    const record: SkuRecord = {
      skuId: sku.id,
      skuPartNumber: sku.partNumber,
      appliesTo,
      capabilityStatus: entry.status ?? "Enabled",
      prepaidUnits: {
        enabled: entry.seats,
        suspended: entry.suspended ?? 0,
        warning: entry.warning ?? 0,
        lockedOut: entry.lockedOut ?? 0,
      },
      servicePlans: plans,
      subscriptionIds: [derivedId(tenantId, "subscription", sku.id)],
      consumedUnits: 0,
    };
    skus.push(record);
    for (const key of [sku.id, fold(sku.partNumber), fold(sku.displayName), fold(entry.sku)])
      skuByName.set(key, record);
    const plansByName = new Map<string, string>();
    for (const plan of plans) {
      plansByName.set(plan.servicePlanId, plan.servicePlanId);
      plansByName.set(fold(plan.servicePlanName), plan.servicePlanId);
    }
    planIndex.set(sku.id, plansByName);
  });

  const license = (
    entry: FixtureLicense,
    where: string,
  ): { skuId: string; disabledPlans: string[] } | undefined => {
    const sku = skuByName.get(fold(entry.sku));
    if (!sku) {
      fail(`${where}.sku "${entry.sku}" is not one of the tenant's skus`, "Add the SKU under skus: first.");
      return undefined;
    }
    const disabledPlans: string[] = [];
    (entry.disabledPlans ?? []).forEach((plan, k) => {
      const id = planIndex.get(sku.skuId)?.get(fold(String(plan)));
      if (id) disabledPlans.push(id);
      else fail(`${where}.disabledPlans[${k}] "${plan}" is not a service plan of ${sku.skuPartNumber}`);
    });
    return { skuId: sku.skuId, disabledPlans };
  };

  const users: UserRecord[] = [];
  const userByKey = new Map<string, UserRecord>();
  fixture.users.forEach((entry, i) => {
    const upn = entry.upn.trim();
    if (userByKey.has(upn.toLowerCase())) {
      fail(`users[${i}].upn ${upn} appears twice`);
      return;
    }
    const local = upn.split("@")[0] ?? upn;
    const nameParts = local
      .split(/[._-]+/)
      .filter(Boolean)
      .map((p) => p[0]!.toUpperCase() + p.slice(1));
    const user: UserRecord = {
      id: (entry.id ?? derivedId(tenantId, "user", upn)).toLowerCase(),
      userPrincipalName: upn,
      displayName: entry.displayName ?? (nameParts.join(" ") || upn),
      givenName: nameParts[0] ?? null,
      surname: nameParts.length > 1 ? nameParts.at(-1)! : null,
      mail: upn,
      usageLocation: entry.usageLocation ?? null,
      accountEnabled: entry.accountEnabled ?? true,
      createdDateTime: FIXTURE_EPOCH,
      states: [],
      groupIds: [],
    };
    (entry.licenses ?? []).forEach((l, j) => {
      const resolved = license(l, `users[${i}].licenses[${j}]`);
      if (!resolved || user.states.some((s) => s.skuId === resolved.skuId)) return;
      user.states.push({
        ...resolved,
        assignedByGroup: null,
        state: "Active",
        error: "None",
        lastUpdatedDateTime: FIXTURE_EPOCH,
      });
    });
    users.push(user);
    userByKey.set(upn.toLowerCase(), user);
    userByKey.set(user.id, user);
  });

  const groups: GroupRecord[] = [];
  (fixture.groups ?? []).forEach((entry, i) => {
    const id = (entry.id ?? derivedId(tenantId, "group", entry.name)).toLowerCase();
    const group: GroupRecord = {
      id,
      displayName: entry.name,
      mailNickname:
        entry.mailNickname ?? (entry.name.replace(/[^A-Za-z0-9]/g, "").toLowerCase() || id.slice(0, 8)),
      securityEnabled: entry.securityEnabled ?? true,
      mailEnabled: false,
      createdDateTime: FIXTURE_EPOCH,
      memberIds: [],
      licenses: [],
      licenseProcessingState: null,
    };
    (entry.members ?? []).forEach((member, k) => {
      const user = userByKey.get(String(member).trim().toLowerCase());
      if (!user) fail(`groups[${i}].members[${k}] "${member}" is not a user of the fixture`);
      else if (!user.groupIds.includes(id)) {
        group.memberIds.push(user.id);
        user.groupIds.push(id);
      }
    });
    (entry.licenses ?? []).forEach((l, j) => {
      const resolved = license(l, `groups[${i}].licenses[${j}]`);
      if (resolved && !group.licenses.some((g) => g.skuId === resolved.skuId)) group.licenses.push(resolved);
    });
    if (group.licenses.length > 0) group.licenseProcessingState = "ProcessingComplete";
    groups.push(group);
  });

  const anyPlan = (name: string, where: string): string | undefined => {
    const key = fold(name);
    for (const index of planIndex.values()) {
      const id = index.get(key);
      if (id) return id;
    }
    if (isGuid(key)) return key;
    for (const sku of catalog.skus) {
      const plan = sku.servicePlans.find((p) => fold(p.name) === key);
      if (plan) return plan.id;
    }
    fail(`${where} "${name}" is not a known service plan`);
    return undefined;
  };
  const rules: RulesRecord = { dependencies: [], mutuallyExclusive: [] };
  (fixture.rules?.dependencies ?? []).forEach((rule, i) => {
    const plan = anyPlan(rule.plan, `rules.dependencies[${i}].plan`);
    const requires = rule.requires.map((r, k) => anyPlan(r, `rules.dependencies[${i}].requires[${k}]`));
    if (plan && requires.every((r): r is string => r !== undefined))
      rules.dependencies.push({ plan, requires });
  });
  (fixture.rules?.mutuallyExclusive ?? []).forEach((set, i) => {
    const ids = set.map((p, k) => anyPlan(p, `rules.mutuallyExclusive[${i}][${k}]`));
    if (ids.every((r): r is string => r !== undefined)) rules.mutuallyExclusive.push(ids);
  });

  if (problems.length > 0) {
    throw new LicensectlError("fixture-unresolved", `${file} names things the emulator cannot resolve`, {
      problems,
      hint: "SKUs resolve by part number, display name or GUID against the bundled catalog; plans by name or GUID.",
    });
  }
  return {
    tenant: {
      id: tenantId,
      displayName: fixture.tenant.displayName,
      countryLetterCode: fixture.tenant.countryLetterCode,
      domains: [...fixture.tenant.domains],
    },
    skus,
    users,
    groups,
    rules,
  };
}
