import type { Catalog, CatalogSku } from "../catalog/catalog.js";
import { LicensectlError } from "../model/errors.js";
import type { Problem } from "../model/problem.js";
import { isGuid } from "../util/guid.js";
import { didYouMean } from "../util/suggest.js";
import type { FixtureLicense, TenantFixture } from "./fixture-types.js";
import type { FixtureLocator } from "./fixture.js";
import { derivedId } from "./ids.js";
import { subscriptionsOf } from "./subscriptions.js";
import { loadBundledRules } from "./bundled-rules.js";
import { enabledPlans, ruleViolations } from "./license-rules.js";
import {
  FIXTURE_EPOCH,
  type GroupRecord,
  type PlanRecord,
  type RulesRecord,
  type SkuRecord,
  type SubscriptionRecord,
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

/**
 * A subscription's units by state. A Suspended, LockedOut or Deleted
 * subscription has no enabled units: Graph's licenseUnitsDetail says
 * suspended units "can't be assigned but can still be reactivated" and
 * lockedOut units belong to a cancelled subscription. So `seats` of such
 * a SKU are counted as suspended (or lockedOut), and assigning it answers
 * Graph's "does not have any available licenses"; holders keep it.
 */
function prepaidUnits(entry: TenantFixture["skus"][number]): SkuRecord["prepaidUnits"] {
  const status = entry.status ?? "Enabled";
  const blocked = status === "Suspended" || status === "LockedOut" || status === "Deleted";
  return {
    enabled: blocked ? 0 : entry.seats,
    suspended: entry.suspended ?? (status === "Suspended" ? entry.seats : 0),
    warning: entry.warning ?? 0,
    lockedOut: entry.lockedOut ?? (status === "LockedOut" ? entry.seats : 0),
  };
}

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
  const subscriptionRecords: SubscriptionRecord[] = [];
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
      prepaidUnits: prepaidUnits(entry),

      servicePlans: plans,
      subscriptionIds: [derivedId(tenantId, "subscription", sku.id)],
      consumedUnits: 0,
    };
    const subscriptions = subscriptionsOf(entry, record, tenantId);
    record.subscriptionIds = subscriptions.map((s) => s.id);
    subscriptionRecords.push(...subscriptions);
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
      department: entry.department ?? null,
      signInActivity: entry.signInActivity
        ? {
            lastSignInDateTime: entry.signInActivity.lastSignInDateTime ?? null,
            lastNonInteractiveSignInDateTime: entry.signInActivity.lastNonInteractiveSignInDateTime ?? null,
            lastSuccessfulSignInDateTime: entry.signInActivity.lastSuccessfulSignInDateTime ?? null,
          }
        : null,
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
    (entry.licenses ?? []).forEach((l, j) => {
      const resolved = license(l, `groups[${i}].licenses[${j}]`);
      if (resolved && !group.licenses.some((g) => g.skuId === resolved.skuId)) group.licenses.push(resolved);
    });
    if (group.licenses.length > 0 && !group.securityEnabled)
      fail(
        `groups[${i}].licenses: group-based licensing needs a security-enabled group`,
        "Remove securityEnabled: false or the group's licenses.",
      );
    if (group.licenses.length > 0) group.licenseProcessingState = "ProcessingComplete";
    groups.push(group);
  });
  // Members after every group exists, so a group can name a group listed after it.
  const groupByKey = new Map<string, GroupRecord>();
  for (const group of groups) {
    groupByKey.set(group.id, group);
    groupByKey.set(fold(group.displayName), group);
  }
  (fixture.groups ?? []).forEach((entry, i) => {
    const group = groups[i]!;
    (entry.members ?? []).forEach((member, k) => {
      const key = String(member).trim().toLowerCase();
      const user = userByKey.get(key);
      const nested = user ? undefined : (groupByKey.get(key) ?? groupByKey.get(fold(String(member))));
      if (user) {
        if (!user.groupIds.includes(group.id)) {
          group.memberIds.push(user.id);
          user.groupIds.push(group.id);
        }
      } else if (nested && nested !== group) {
        group.memberGroupIds ??= [];
        if (!group.memberGroupIds.includes(nested.id)) group.memberGroupIds.push(nested.id);
      } else {
        fail(`groups[${i}].members[${k}] "${member}" is not a user or another group of the fixture`);
      }
    });
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
  // A fixture's own rules replace the bundled table, so a test can pin exactly the rules it exercises.
  const rules: RulesRecord = fixture.rules ? { dependencies: [], mutuallyExclusive: [] } : loadBundledRules();
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

  checkDirectLicenses(fixture, { users, groups, skus }, rules, catalog, fail);

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
      ...(fixture.tenant.premium === false ? { premium: false } : {}),
      ...(fixture.tenant.permissions ? { permissions: [...fixture.tenant.permissions] } : {}),
    },
    skus,
    subscriptions: subscriptionRecords,
    users,
    groups,
    rules,
  };
}

/**
 * Graph refuses a direct assignment that breaks a service-plan rule, so no
 * tenant holds one: a fixture that writes one is reported, located at the
 * user's licenses. Prerequisites may come from the user's groups; plans
 * that conflict with a group's load as that member's group error, as
 * group-based licensing records them.
 */
function checkDirectLicenses(
  fixture: TenantFixture,
  data: { users: readonly UserRecord[]; groups: readonly GroupRecord[]; skus: readonly SkuRecord[] },
  rules: RulesRecord,
  catalog: Catalog,
  fail: (message: string, hint?: string) => void,
): void {
  const skusById = new Map(data.skus.map((s) => [s.skuId, s]));
  const groupsById = new Map(data.groups.map((g) => [g.id, g]));
  const indexOf = new Map(fixture.users.map((u, i) => [u.upn.trim(), i]));
  const planName = (id: string) =>
    catalog.skus.flatMap((s) => s.servicePlans).find((p) => p.id.toLowerCase() === id)?.name ?? id;
  for (const user of data.users) {
    const direct = enabledPlans(user.states, skusById);
    const inherited = user.groupIds.flatMap((id) => groupsById.get(id)?.licenses ?? []);
    const withGroups = enabledPlans([...user.states, ...inherited], skusById);
    const broken =
      ruleViolations(direct, rules).find((v) => v.kind === "exclusive") ??
      ruleViolations(withGroups, rules).find((v) => v.kind === "dependency" && direct.has(v.plan));
    if (!broken) continue;
    const i = indexOf.get(user.userPrincipalName) ?? 0;
    fail(
      broken.kind === "exclusive"
        ? `users[${i}].licenses: service plans ${broken.plans.map(planName).join(" and ")} are mutually exclusive`
        : `users[${i}].licenses: service plan ${planName(broken.plan)} needs one of ${broken.requires.map(planName).join(", ")}`,
      "Graph refuses such an assignment; change the user's licenses or disabledPlans.",
    );
  }
}
