import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { serializePlan } from "../../src/plan/plan-file.js";
import { tenant } from "./builders.js";
import { planOf } from "./helpers.js";

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/plan.schema.json", import.meta.url), "utf8"),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe("planner output against schemas/plan.schema.json", () => {
  it("conforms, in JSON and as a plan file, with every kind of change and warning", () => {
    const t = tenant()
      .sku("ENTERPRISEPACK", { plans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY", "COPILOT"] })
      .sku("SPE_E5")
      .sku("EMS", { status: "Warning" })
      .user("newbie@x.com", { usageLocation: null })
      .user("leaver@x.com", { licenses: ["SPE_E5"] })
      .user("tuner@x.com", { licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }] })
      .user("mover@x.com", { licenses: ["SPE_E5"] })
      .group("Old", { licenses: ["ENTERPRISEPACK"], members: ["leaver@x.com"] })
      .group("New", { members: ["mover@x.com", "newbie@x.com"] });
    const desired = t
      .manifest({ defaultUsageLocation: "FR", maxRemovals: 0, protectUsers: ["ghost@x.com"] })
      .user("newbie@x.com", { licenses: ["EMS"] })
      .user("tuner@x.com", {
        licenses: [{ sku: "ENTERPRISEPACK", enabledPlans: ["EXCHANGE_S_ENTERPRISE", "TEAMS1"] }],
      })
      .group("New", { licenses: ["SPE_E5"] })
      .build();
    const plan = planOf(desired, t.live());
    expect(plan.waves.length).toBeGreaterThanOrEqual(6);
    expect(plan.warnings.length).toBeGreaterThanOrEqual(3);
    for (const document of [JSON.parse(JSON.stringify(plan)), JSON.parse(serializePlan(plan))]) {
      const ok = validate(document);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });
});
