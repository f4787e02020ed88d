import { loadCatalog } from "../catalog/bundled-catalog.js";
import type { CatalogSku } from "../catalog/catalog.js";
import type {
  FixtureGroup,
  FixtureLicense,
  FixtureSignInActivity,
  FixtureSku,
  FixtureSubscription,
  FixtureUser,
  TenantFixture,
} from "./fixture-types.js";
import { loadBundledRules } from "./bundled-rules.js";
import {
  GENERATED_DEPARTMENTS,
  generatedSignInActivity,
  generatedSubscriptions,
} from "./generated-activity.js";
import { derivedId, seededRandom } from "./ids.js";
import { ruleViolations } from "./license-rules.js";

/** Size and seed of a synthetic tenant. */
export interface GenerateTenantOptions {
  readonly users: number;
  /** Groups (default: about one per 400 users, 2..50); most carry a license. */
  readonly groups?: number;
  /** SKUs from the catalog (default 6, at most 10). */
  readonly skus?: number;
  readonly seed?: number;
  /**
   * The subscriptions behind the SKUs: `"varied"` gives each a paid
   * subscription renewing within the year, one SKU a trial and one a
   * subscription in Warning (see generatedSubscriptions); a record gives the
   * listed SKUs (by part number) exactly these. Default: the emulator's one
   * Enabled subscription per SKU with no renewal date.
   */
  readonly subscriptions?: "varied" | Readonly<Record<string, readonly FixtureSubscription[]>>;
  /** Give users a department: `true` for a mix of common ones, or the list to draw from. Default none. */
  readonly departments?: boolean | readonly string[];
  /** Give users signInActivity: most signed in lately, some long ago, some never. Default none. */
  readonly signInActivity?: boolean;
  /** What renewal and sign-in dates are relative to; default the start of the current UTC day. */
  readonly now?: Date;
  /** Whether the tenant has Microsoft Entra ID P1 (`tenant.premium`); default unset, which the emulator takes as P1. */
  readonly premium?: boolean;
}

/** Common SKUs, most used first. */
const SKU_POOL = [
  "SPE_E3",
  "ENTERPRISEPACK",
  "SPE_E5",
  "EMS",
  "POWER_BI_PRO",
  "VISIOCLIENT",
  "PROJECTPROFESSIONAL",
  "EXCHANGESTANDARD",
  "STANDARDPACK",
  "FLOW_FREE",
];
const FIRST = [
  "Adele",
  "Alex",
  "Diego",
  "Grady",
  "Henrietta",
  "Isaiah",
  "Johanna",
  "Joni",
  "Lee",
  "Lidia",
  "Lynne",
  "Megan",
  "Miriam",
  "Nestor",
  "Patti",
  "Pradeep",
  "Ravi",
  "Sofia",
  "Tomas",
  "Yuki",
];
const LAST = [
  "Vance",
  "Wilber",
  "Siciliani",
  "Archie",
  "Mueller",
  "Langer",
  "Kellum",
  "Sherman",
  "Gu",
  "Holloway",
  "Zrinski",
  "Bowen",
  "Graham",
  "Wilke",
  "Fernandez",
  "Gupta",
  "Sharma",
  "Costa",
  "Novak",
  "Tanaka",
];
const LOCATIONS = ["US", "US", "US", "US", "GB", "DE", "FR", "NL", "CA", "IN"];

type Held = readonly { readonly sku: CatalogSku; readonly disabled: readonly string[] }[];

/** Whether licenses held together keep the bundled service-plan rules (no exclusive pair, no missing prerequisite). */
function consistent(held: Held): boolean {
  const enabled = new Set<string>();
  for (const { sku, disabled } of held)
    for (const plan of sku.servicePlans) if (!disabled.includes(plan.name)) enabled.add(plan.id);
  return ruleViolations(enabled, RULES).length === 0;
}

/** The candidates that can be disabled in `sku` without breaking a dependency of what stays on. */
function safeToDisable(sku: CatalogSku, candidates: readonly string[], others: Held = []): string[] {
  const disabled: string[] = [];
  for (const name of candidates)
    if (consistent([...others, { sku, disabled: [...disabled, name] }])) disabled.push(name);
  return disabled;
}

const RULES = loadBundledRules();

/**
 * A synthetic tenant with a realistic license mix: most users inherit a
 * license from a group, some hold one directly (some with plans disabled),
 * some both (drift a manifest would clean up), a few lack a usage location,
 * and one SKU is exactly full. Every user's licenses keep the bundled
 * service-plan rules, as Graph would have enforced them. Deterministic from
 * the seed.
 */
export function generateTenant(options: GenerateTenantOptions): TenantFixture {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const catalog = loadCatalog();
  const skus: CatalogSku[] = [];
  for (const name of SKU_POOL.slice(0, Math.max(1, Math.min(SKU_POOL.length, options.skus ?? 6)))) {
    const lookup = catalog.lookupSku(name);
    if (lookup.kind === "found") skus.push(lookup.sku);
  }
  const tenantId = derivedId(String(options.seed ?? 1), "tenant", "contoso");
  // A stream of its own, so departments and sign-ins leave the license mix of the seed as it was.
  const extraRandom = seededRandom((options.seed ?? 1) ^ 0x5eed);
  const now = options.now ?? new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const departments = options.departments === true ? GENERATED_DEPARTMENTS : options.departments || undefined;
  const domains = ["contoso.onmicrosoft.com", "contoso.com"];
  const groupCount = options.groups ?? Math.max(2, Math.min(50, Math.round(options.users / 400)));

  const groups: {
    name: string;
    members: string[];
    licenses: FixtureLicense[];
    sku?: CatalogSku;
    disabled: string[];
  }[] = [];
  for (let i = 0; i < groupCount; i++) {
    const sku = i % 5 === 4 ? undefined : skus[i % skus.length]!;
    const disabled =
      sku && i % 3 === 2
        ? safeToDisable(
            sku,
            sku.servicePlans.slice(0, 2).map((p) => p.name),
          )
        : [];
    groups.push({
      name: sku ? `License - ${sku.displayName} ${i + 1}` : `Team ${i + 1}`,
      members: [],
      licenses: sku ? [{ sku: sku.partNumber, ...(disabled.length ? { disabledPlans: disabled } : {}) }] : [],
      ...(sku ? { sku } : {}),
      disabled,
    });
  }
  const holders = new Map<string, number>(skus.map((s) => [s.id, 0]));
  const users: FixtureUser[] = [];
  for (let n = 0; n < options.users; n++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const upn = `${first}.${last}${n}@${domains[1]}`.toLowerCase();
    const usageLocation = random() < 0.03 ? null : pick(LOCATIONS);
    const held = new Set<string>();
    const holding: { sku: CatalogSku; disabled: readonly string[] }[] = [];
    if (groups.length > 0 && random() < 0.65) {
      const group = pick(groups);
      group.members.push(upn);
      if (group.sku) {
        held.add(group.sku.id);
        holding.push({ sku: group.sku, disabled: group.disabled });
      }
    }
    const licenses: FixtureLicense[] = [];
    if (usageLocation && skus.length > 0) {
      const roll = random();
      const direct =
        roll < 0.25 ? pick(skus) : roll < 0.3 && held.size > 0 ? skus.find((s) => held.has(s.id)) : undefined;
      // Graph refuses a direct license whose plans conflict with the group's: such a user keeps only the group's.
      const disabling = direct !== undefined && random() < 0.3;
      if (direct && consistent([...holding, { sku: direct, disabled: [] }])) {
        const disabled = disabling
          ? safeToDisable(
              direct,
              direct.servicePlans.slice(-1).map((p) => p.name),
              holding,
            )
          : [];
        licenses.push({ sku: direct.partNumber, ...(disabled.length ? { disabledPlans: disabled } : {}) });
        held.add(direct.id);
      }
    }
    for (const id of held) holders.set(id, (holders.get(id) ?? 0) + 1);
    users.push({
      upn,
      displayName: `${first} ${last}`,
      usageLocation,
      ...(n % 97 === 96 ? { accountEnabled: false } : {}),
      ...(licenses.length ? { licenses } : {}),
      ...(departments?.length
        ? { department: departments[Math.floor(extraRandom() * departments.length)]! }
        : {}),
      ...activityOf(options.signInActivity ? generatedSignInActivity(extraRandom, now) : undefined),
    });
  }
  const fixtureSkus: FixtureSku[] = skus.map((sku, i) => {
    const used = holders.get(sku.id) ?? 0;
    // The last SKU is full to the seat; the others keep some headroom.
    const seats = i === skus.length - 1 ? used : Math.ceil(used * 1.1) + 5;
    const listed =
      options.subscriptions === "varied"
        ? generatedSubscriptions(i, seats, now)
        : options.subscriptions?.[sku.partNumber];
    return { sku: sku.partNumber, seats, ...(listed ? { subscriptions: listed } : {}) };
  });
  const fixtureGroups: FixtureGroup[] = groups.map((g) => ({
    name: g.name,
    members: g.members,
    licenses: g.licenses,
  }));
  return {
    apiVersion: "licensectl.emulator/v1",
    kind: "Tenant",
    tenant: {
      id: tenantId,
      displayName: "Contoso",
      countryLetterCode: "US",
      domains,
      ...(options.premium !== undefined ? { premium: options.premium } : {}),
    },
    skus: fixtureSkus,
    users,
    groups: fixtureGroups,
  };
}

/** The signInActivity property of a generated user, absent for one who never signed in. */
function activityOf(activity: FixtureSignInActivity | undefined): { signInActivity?: FixtureSignInActivity } {
  return activity ? { signInActivity: activity } : {};
}
