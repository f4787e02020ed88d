import { describe, expect, it } from "vitest";
import { diffLiveStates } from "../../src/plan/live-diff.js";
import { tenant } from "./builders.js";

describe("diffLiveStates", () => {
  it("is empty for the same state", () => {
    const t = tenant()
      .sku("SPE_E5")
      .user("a@x.com", { licenses: ["SPE_E5"] })
      .group("Sales", { members: ["a@x.com"] });
    expect(diffLiveStates(t.live(), t.live())).toEqual([]);
  });

  it("names what moved, one line each, in a stable order", () => {
    const before = tenant()
      .sku("ENTERPRISEPACK", { seats: 10 })
      .sku("SPE_E5", { seats: 10 })
      .user("a@x.com", { licenses: ["ENTERPRISEPACK"] })
      .user("b@x.com", { licenses: ["SPE_E5"] })
      .group("Sales", { licenses: ["SPE_E5"], members: ["a@x.com"] });
    const after = tenant()
      .sku("ENTERPRISEPACK", { seats: 12 })
      .sku("SPE_E5", { seats: 10 })
      .user("a@x.com", {
        licenses: [{ sku: "ENTERPRISEPACK", disabledPlans: ["SWAY"] }],
        usageLocation: "GB",
      })
      .user("b@x.com")
      .user("c@x.com")
      .group("Sales", { licenses: ["SPE_E5"], members: ["a@x.com", "c@x.com"] });
    expect(diffLiveStates(before.live(), after.live())).toEqual([
      "SKU ENTERPRISEPACK: Enabled, 10 enabled, plans EXCHANGE_S_ENTERPRISE, SWAY, TEAMS1 is now Enabled, 12 enabled, plans EXCHANGE_S_ENTERPRISE, SWAY, TEAMS1",
      "user a@x.com: usageLocation US is now GB",
      "user a@x.com: ENTERPRISEPACK is now ENTERPRISEPACK (disabled: SWAY)",
      "user b@x.com: lost SPE_E5",
      "user c@x.com: created",
      "group Sales: 1 member(s) joined, 0 left",
    ]);
  });
});
