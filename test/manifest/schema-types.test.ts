import { describe, expect, it } from "vitest";
import type {
  ManifestDocument,
  ManifestGroup,
  ManifestLimits,
  ManifestMinFreeSeats,
  ManifestPolicies,
  ManifestPrice,
  ManifestRenewals,
  ManifestSeatPool,
  ManifestProfileLicense,
  ManifestProtect,
  ManifestScope,
  ManifestSkuLicense,
  ManifestTenant,
  ManifestUser,
} from "../../src/manifest/manifest-document.js";
import { manifestSchema, type SchemaNode } from "../../src/manifest/manifest-schema.js";

/**
 * Every property of T, marked required or optional. An object literal of this
 * type must list exactly T's keys with the right marks, so `tsc` fails when a
 * property is added to, removed from or made optional in a type; the tests
 * below then hold the schema to the same lists.
 */
type Shape<T> = { readonly [K in keyof T]-?: object extends Pick<T, K> ? "optional" : "required" };

const SHAPES = {
  "#": {
    apiVersion: "required",
    imports: "optional",
    tenant: "optional",
    scope: "optional",
    protect: "optional",
    limits: "optional",
    prices: "optional",
    policies: "optional",
    profiles: "optional",
    groups: "optional",
    users: "optional",
  } satisfies Shape<ManifestDocument>,
  "#/$defs/tenant": { id: "optional", defaultUsageLocation: "optional" } satisfies Shape<ManifestTenant>,
  "#/$defs/scope": { skus: "required", mode: "required" } satisfies Shape<ManifestScope>,
  "#/$defs/protect": { users: "optional", groups: "optional" } satisfies Shape<ManifestProtect>,
  "#/$defs/limits": { maxRemovals: "optional" } satisfies Shape<ManifestLimits>,
  "#/$defs/price": {
    sku: "required",
    amount: "required",
    currency: "required",
    period: "required",
  } satisfies Shape<ManifestPrice>,
  "#/$defs/policies": {
    exclusive: "optional",
    minFreeSeats: "optional",
    seatPools: "optional",
    inactiveDays: "optional",
    exempt: "optional",
    renewals: "optional",
  } satisfies Shape<ManifestPolicies>,
  "#/$defs/minFreeSeats": {
    sku: "required",
    seats: "optional",
    percent: "optional",
  } satisfies Shape<ManifestMinFreeSeats>,
  "#/$defs/seatPool": {
    department: "required",
    sku: "required",
    max: "required",
  } satisfies Shape<ManifestSeatPool>,
  "#/$defs/renewals": { warnDays: "optional", reserve: "optional" } satisfies Shape<ManifestRenewals>,
  "#/$defs/skuLicense": {
    sku: "required",
    disabledPlans: "optional",
    enabledPlans: "optional",
  } satisfies Shape<ManifestSkuLicense>,
  "#/$defs/profileLicense": { profile: "required" } satisfies Shape<ManifestProfileLicense>,
  "#/$defs/user": {
    user: "required",
    usageLocation: "optional",
    licenses: "optional",
  } satisfies Shape<ManifestUser>,
  "#/$defs/group": { group: "required", licenses: "optional" } satisfies Shape<ManifestGroup>,
} as const;

// Fails to compile when the enum of modes in the type changes.
const MODES: readonly ManifestScope["mode"][] = ["authoritative", "additive"];
type AllModes = Exclude<ManifestScope["mode"], (typeof MODES)[number]> extends never ? true : false;
const allModes: AllModes = true;
const PERIODS: readonly ManifestPrice["period"][] = ["month", "year"];
type AllPeriods = Exclude<ManifestPrice["period"], (typeof PERIODS)[number]> extends never ? true : false;
const allPeriods: AllPeriods = true;

describe("manifest schema and TypeScript types", () => {
  const { schema, resolve } = manifestSchema();
  const at = (ref: string): SchemaNode => (ref === "#" ? schema : resolve({ $ref: ref }));

  it.each(Object.entries(SHAPES))("%s has the properties of its type", (ref, shape) => {
    const node = at(ref);
    expect(Object.keys(node.properties ?? {}).sort()).toEqual(Object.keys(shape).sort());
    const required = Object.entries(shape).flatMap(([key, mark]) => (mark === "required" ? [key] : []));
    expect([...(node.required ?? [])].sort()).toEqual(required.sort());
    expect(node.additionalProperties).toBe(false);
  });

  it("describes every property and allows no unknown keys anywhere", () => {
    const missing: string[] = [];
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const n = node as SchemaNode;
      if (n.type === "object" && n.properties && n.additionalProperties !== false) open.push(path);
      for (const [key, child] of Object.entries(n.properties ?? {})) {
        if (!child.description && !(child.$ref && resolve(child).description)) missing.push(`${path}/${key}`);
      }
      for (const [key, value] of Object.entries(n))
        if (typeof value === "object") walk(value, `${path}/${key}`);
    };
    walk(schema, "#");
    expect(missing).toEqual([]);
    expect(open).toEqual([]);
  });

  it("has the same scope modes as the type, and a license is one of the two entry forms", () => {
    expect(allModes).toBe(true);
    expect(allPeriods).toBe(true);
    expect(at("#/$defs/price").properties?.period?.enum).toEqual(PERIODS);
    expect(at("#/$defs/scope").properties?.mode?.enum).toEqual(MODES);
    expect(at("#/$defs/license").oneOf).toEqual([
      { $ref: "#/$defs/skuLicense" },
      { $ref: "#/$defs/profileLicense" },
    ]);
  });
});
