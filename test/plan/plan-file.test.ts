import { describe, expect, it } from "vitest";
import { isLicensectlError, type LicensectlError } from "../../src/model/errors.js";
import { checkPlanIsCurrent, parsePlanFile, serializePlan } from "../../src/plan/plan-file.js";
import { digestLiveState } from "../../src/plan/live-digest.js";
import { TOOL_VERSION } from "../../src/version.js";
import { tenant } from "./builders.js";
import { planOf } from "./helpers.js";

function samplePlan() {
  const t = tenant()
    .sku("ENTERPRISEPACK", { seats: 5 })
    .sku("SPE_E5", { seats: 5 })
    .user("a@x.com", { licenses: ["ENTERPRISEPACK"] })
    .user("b@x.com", { usageLocation: null })
    .group("Sales", { members: ["a@x.com"] });
  const desired = t
    .manifest({ defaultUsageLocation: "US", maxRemovals: 5 })
    .user("a@x.com", { licenses: ["SPE_E5"] })
    .user("b@x.com", { licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }] })
    .group("Sales", { licenses: ["SPE_E5"] })
    .build();
  return { t, desired, plan: planOf(desired, t.live()) };
}

function thrown(fn: () => unknown): LicensectlError {
  try {
    fn();
  } catch (error) {
    if (isLicensectlError(error)) return error;
    throw error;
  }
  throw new Error("expected a LicensectlError");
}

describe("plan file", () => {
  it("round-trips a plan", () => {
    const { plan } = samplePlan();
    const text = serializePlan(plan);
    expect(text.endsWith("\n")).toBe(true);
    expect(JSON.parse(text).digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const parsed = parsePlanFile(text, "plan.json");
    expect(parsed).toEqual(plan);
    expect(serializePlan(parsed)).toBe(text);
  });

  it("detects a hand-edited plan", () => {
    const text = serializePlan(samplePlan().plan);
    const edited = text.replace('"maxRemovals": 5', '"maxRemovals": 500');
    expect(edited).not.toBe(text);
    const error = thrown(() => parsePlanFile(edited, "plan.json"));
    expect(error.code).toBe("plan-file-tampered");
    expect(error.hint).toMatch(/licensectl plan/);
    const unsigned = JSON.stringify({ ...JSON.parse(text), digest: undefined });
    expect(thrown(() => parsePlanFile(unsigned, "plan.json")).code).toBe("plan-file-tampered");
  });

  it("refuses another format version, saying which versions are involved", () => {
    const data = { ...JSON.parse(serializePlan(samplePlan().plan)), formatVersion: 1, toolVersion: "9.0.0" };
    const error = thrown(() => parsePlanFile(JSON.stringify(data), "plan.json"));
    expect(error.code).toBe("plan-format-unsupported");
    expect(error.message).toContain("licensectl 9.0.0");
    expect(error.message).toContain(`this is licensectl ${TOOL_VERSION}`);
  });

  it("refuses what is not a plan file", () => {
    expect(thrown(() => parsePlanFile("{ nope", "plan.json")).code).toBe("plan-file-unreadable");
    expect(thrown(() => parsePlanFile("[1, 2]", "plan.json")).code).toBe("plan-file-unreadable");
    expect(thrown(() => parsePlanFile('{"formatVersion": 2}', "plan.json")).message).toContain("waves");
  });

  it("refuses a stale plan, naming what changed", () => {
    const { t, desired, plan } = samplePlan();
    const current = {
      liveDigest: digestLiveState(t.live()),
      manifestDigest: desired.digest,
      tenantId: t.id.toUpperCase(),
    };
    expect(checkPlanIsCurrent(plan, current)).toEqual([]);
    const moved = t.user("late@x.com", { licenses: ["SPE_E5"] });
    const stale = checkPlanIsCurrent(plan, { ...current, liveDigest: digestLiveState(moved.live()) });
    expect(stale.map((p) => [p.code, p.severity])).toEqual([["stale-plan", "error"]]);
    expect(stale[0]!.message).toMatch(/tenant's licenses changed/);
    const everything = checkPlanIsCurrent(plan, { liveDigest: "x", manifestDigest: "y", tenantId: "z" });
    expect(everything.map((p) => p.message)).toEqual([
      expect.stringContaining("signed-in tenant is z"),
      expect.stringContaining("manifests changed"),
      expect.stringContaining("licenses changed"),
    ]);
  });
});
