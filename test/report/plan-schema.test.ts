import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/plan.js";
import { serializePlan } from "../../src/plan/index.js";
import { renderPlanJson } from "../../src/report/plan/render-plan-json.js";
import { expectGolden } from "./golden.js";
import { emptyPlan, hostilePlan, hugePlan, typicalPlan, SKUS, PLANS, TENANT } from "./sample-plans.js";

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type Schema = { [key: string]: unknown };

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/plan.schema.json", import.meta.url), "utf8"),
) as Schema;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

/** Every property of T present, all the way down (unions stay unions). */
type Full<T> = T extends readonly (infer U)[]
  ? readonly Full<U>[]
  : T extends object
    ? { readonly [K in keyof T]-?: Full<Exclude<T[K], undefined>> }
    : T;

/** Only the properties that T requires, all the way down; an object literal of this type may not carry optional ones. */
type Bare<T> = T extends readonly (infer U)[]
  ? readonly Bare<U>[]
  : T extends object
    ? { readonly [K in keyof T as object extends Pick<T, K> ? never : K]: Bare<T[K]> }
    : T;

const at = { file: "users.yaml", line: 3, column: 5 };

/** Schema properties that the plan file adds to the Plan type (see serializePlan). */
const FILE_ONLY = new Set(["plan.digest"]);

/** A plan with every optional field set: the compiler fails here when Plan gains a field. */
const fullPlan: Full<Plan> = {
  formatVersion: 2,
  toolVersion: "0.1.0",
  createdAt: "2026-11-23T12:00:00.000Z",
  tenant: TENANT,
  mode: "authoritative",
  manifestDigest: "m",
  manifests: { base: "repository", files: [{ path: "manifests/users.yaml", digest: "sha256:00" }] },
  liveDigest: "l",
  maxRemovals: 25,
  summary: {
    changes: 2,
    usersChanged: 1,
    groupsChanged: 1,
    adds: 1,
    updates: 1,
    removes: 1,
    usageLocations: 1,
    removals: 3,
    risk: "high",
  },
  seats: [
    {
      ...SKUS.E3,
      displayName: "Office 365 E3",
      capabilityStatus: "Enabled",
      enabled: 1,
      consumedBefore: 0,
      consumedAfter: 1,
      inScope: true,
    },
  ],
  cost: {
    skus: [
      {
        ...SKUS.E3,
        currency: "USD",
        monthlyUnitPrice: 23,
        seatsBefore: 0,
        seatsAfter: 1,
        monthlyBefore: 0,
        monthlyAfter: 23,
        monthlyDelta: 23,
        yearlyDelta: 276,
      },
    ],
    totals: [{ currency: "USD", monthlyBefore: 0, monthlyAfter: 23, monthlyDelta: 23, yearlyDelta: 276 }],
  },
  warnings: [{ code: "c", severity: "warning", message: "m", hint: "h", location: at }],
  licenseErrors: [
    {
      user: { kind: "user", id: "00000000-0000-4000-a000-000000000002", name: "b@b.c", location: at },
      sku: SKUS.E5,
      group: { id: "00000000-0000-4000-b000-000000000001", name: "Sales" },
      error: "CountViolation",
      state: "Error",
      fix: "f",
    },
  ],
  waves: [
    {
      kind: "group-handover",
      reason: "r",
      waitForGroups: ["00000000-0000-4000-b000-000000000001"],
      changes: [
        {
          kind: "setUsageLocation",
          id: "u",
          user: { kind: "user", id: "00000000-0000-4000-a000-000000000001", name: "a@b.c", location: at },
          from: null,
          to: "US",
          impact: "low",
          reasons: [{ code: "usage-location-default", message: "m", location: at }],
        },
        {
          kind: "assignLicenses",
          id: "g",
          target: { kind: "group", id: "00000000-0000-4000-b000-000000000001", name: "Sales", location: at },
          add: [{ ...SKUS.E5, disabledPlans: [PLANS.SWAY] }],
          update: [{ ...SKUS.E3, fromDisabledPlans: [], toDisabledPlans: [PLANS.SWAY] }],
          remove: [SKUS.P2],
          membersLosingLicenses: 3,
          membersGainingLicenses: 4,
          requiresActiveFrom: [
            {
              ...SKUS.P2,
              groupIds: ["00000000-0000-4000-b000-000000000002"],
              userIds: ["00000000-0000-4000-a000-000000000003"],
            },
          ],
          before: { licenses: { ENTERPRISEPACK: { skuId: SKUS.E3.skuId, disabledPlans: [] } } },
          after: { licenses: { ENTERPRISEPACK: { skuId: SKUS.E3.skuId, disabledPlans: ["SWAY"] } } },
          patch: [{ op: "add", path: "/licenses/ENTERPRISEPACK/disabledPlans/0", value: "SWAY", from: "" }],
          impact: "high",
          reasons: [{ code: "swap", message: "m", location: at }],
        },
      ],
    },
  ],
};

/** A plan with only the required fields: the compiler rejects an optional one here. */
const barePlan: Bare<Plan> = {
  formatVersion: 2,
  toolVersion: "0.1.0",
  createdAt: "2026-11-23T12:00:00.000Z",
  tenant: TENANT,
  mode: "additive",
  manifestDigest: "m",
  liveDigest: "l",
  summary: {
    changes: 2,
    usersChanged: 1,
    groupsChanged: 1,
    adds: 1,
    updates: 0,
    removes: 0,
    usageLocations: 1,
    removals: 0,
    risk: "low",
  },
  seats: [
    {
      ...SKUS.E3,
      capabilityStatus: "Enabled",
      enabled: 1,
      consumedBefore: 0,
      consumedAfter: 1,
      inScope: true,
    },
  ],
  warnings: [{ code: "c", severity: "error", message: "m" }],
  waves: [
    {
      kind: "add-users",
      reason: "r",
      changes: [
        {
          kind: "setUsageLocation",
          id: "u",
          user: { kind: "user", id: "00000000-0000-4000-a000-000000000001", name: "a@b.c" },
          from: "DE",
          to: "US",
          impact: "low",
          reasons: [{ code: "declared", message: "m" }],
        },
        {
          kind: "assignLicenses",
          id: "g",
          target: { kind: "user", id: "00000000-0000-4000-a000-000000000001", name: "a@b.c" },
          add: [{ ...SKUS.E5, disabledPlans: [] }],
          update: [],
          remove: [],
          impact: "low",
          reasons: [],
        },
      ],
    },
  ],
};

function resolve(node: Schema): Schema {
  let current = node;
  while (typeof current.$ref === "string") {
    const name = current.$ref.replace("#/$defs/", "");
    current = (schema.$defs as Record<string, Schema>)[name]!;
  }
  return current;
}

/** Walks a value and its schema together and calls `visit` on every object with the schema that describes it. */
function walk(
  value: Json,
  node: Schema,
  path: string,
  visit: (value: Record<string, Json>, node: Schema, path: string) => void,
): void {
  let s = resolve(node);
  if (Array.isArray(s.oneOf)) {
    const kind = (value as Record<string, Json>).kind;
    s = resolve(
      (s.oneOf as Schema[]).find(
        (branch) => (resolve(branch).properties as Record<string, Schema>).kind!.const === kind,
      )!,
    );
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, s.items as Schema, `${path}[${i}]`, visit));
  } else if (value !== null && typeof value === "object" && typeof s.additionalProperties === "object") {
    // A map (licenses by SKU): each value is described by additionalProperties.
    for (const [key, child] of Object.entries(value))
      walk(child, s.additionalProperties as Schema, `${path}.${key}`, visit);
  } else if (value !== null && typeof value === "object") {
    visit(value as Record<string, Json>, s, path);
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const [key, child] of Object.entries(value)) {
      if (properties[key]) walk(child, properties[key], `${path}.${key}`, visit);
    }
  }
}

describe("plan JSON schema", () => {
  it("accepts the sample plans and their rendering", () => {
    for (const plan of [
      emptyPlan,
      typicalPlan,
      hostilePlan,
      hugePlan(),
      fullPlan as Plan,
      barePlan as Plan,
    ]) {
      const valid = validate(JSON.parse(renderPlanJson(plan)));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it("describes every field of the types, and nothing more", () => {
    let objects = 0;
    walk(fullPlan as unknown as Json, schema, "plan", (value, node, path) => {
      objects++;
      const described = Object.keys((node.properties ?? {}) as object).filter(
        (key) => !FILE_ONLY.has(`${path}.${key}`),
      );
      expect(Object.keys(value).sort(), path).toEqual(described.sort());
      expect(node.additionalProperties, path).toBe(false);
    });
    expect(objects).toBeGreaterThan(15);
  });

  it("requires exactly what the types require", () => {
    walk(barePlan as unknown as Json, schema, "plan", (value, node, path) => {
      expect(Object.keys(value).sort(), path).toEqual([...((node.required ?? []) as string[])].sort());
    });
  });

  it("accepts the plan file that plan --out writes", () => {
    const file = JSON.parse(serializePlan(typicalPlan)) as Record<string, unknown>;
    expect(typeof file.digest).toBe("string");
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects unknown fields, other format versions and bad kinds", () => {
    expect(validate({ ...typicalPlan, extra: true })).toBe(false);
    expect(validate({ ...typicalPlan, formatVersion: 1 })).toBe(false);
    const badWave = { ...typicalPlan.waves[0]!, kind: "later" };
    expect(validate({ ...typicalPlan, waves: [badWave] })).toBe(false);
    const badChange = { ...typicalPlan.waves[0]!.changes[0]!, kind: "deleteUser" };
    expect(validate({ ...typicalPlan, waves: [{ ...typicalPlan.waves[0]!, changes: [badChange] }] })).toBe(
      false,
    );
  });
});

describe("renderPlanJson", () => {
  it("prints the plan itself, parseable back to the same data", () => {
    const text = renderPlanJson(typicalPlan);
    expect(JSON.parse(text)).toEqual(typicalPlan);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("renders a typical plan (golden)", () => {
    expectGolden("plan-typical.json.txt", renderPlanJson(typicalPlan));
  });
});
