import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { computeDrift } from "../../src/drift/compute-drift.js";
import { DRIFT_CATEGORIES } from "../../src/model/drift.js";
import { desiredState, liveState, plan, reference } from "./builders.js";
import { scenario } from "./scenario.js";

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/drift.schema.json", import.meta.url), "utf8"),
) as {
  properties: Record<string, unknown>;
  required: string[];
};
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);

describe("schemas/drift.schema.json", () => {
  it("accepts reports with an item in every category, and an empty one", () => {
    const empty = computeDrift({
      desired: desiredState({ scope: [] }),
      live: liveState(),
      plan: plan(),
      reference,
    });
    for (const report of [computeDrift(scenario()), empty]) {
      const ok = validate(JSON.parse(JSON.stringify(report)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("documents every category and requires it", () => {
    for (const category of DRIFT_CATEGORIES) {
      expect(schema.properties).toHaveProperty(category);
      expect(schema.required).toContain(category);
    }
  });

  it("rejects a report of another format version or with an unknown field", () => {
    const report = JSON.parse(JSON.stringify(computeDrift(scenario()))) as Record<string, unknown>;
    expect(validate({ ...report, formatVersion: 2 })).toBe(false);
    expect(validate({ ...report, surprise: true })).toBe(false);
  });
});
