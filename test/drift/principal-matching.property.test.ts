import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { createDriftContext } from "../../src/drift/drift-context.js";
import { indexLiveState } from "../../src/plan/live-index.js";
import { matchPrincipals } from "../../src/plan/principal-matching.js";
import { guidFor, tenant } from "../plan/builders.js";

/**
 * Plan and drift must speak of the same principal for every manifest entry:
 * found by id, userPrincipalName, displayName or mailNickname the same way,
 * and an unknown or ambiguous name attached to nobody by either.
 */

const NAMES = ["Sales", "sales", "Finance", "IT", "Ops"];
const scenario = fc.record({
  users: fc.uniqueArray(fc.constantFrom("ann", "bob", "cy", "dee", "eve"), { maxLength: 5 }),
  groups: fc.array(
    fc.record({
      name: fc.constantFrom(...NAMES),
      nickname: fc.option(fc.constantFrom("sales", "fin", "it", "ops"), { nil: null }),
    }),
    { maxLength: 5 },
  ),
  /** How each entry names its principal: index into the live principals, and the kind of name. */
  userEntries: fc.array(
    fc.record({
      at: fc.nat(6),
      by: fc.constantFrom("id", "upn", "UPN", "unknown"),
    }),
    { maxLength: 6 },
  ),
  groupEntries: fc.array(
    fc.record({
      at: fc.nat(6),
      by: fc.constantFrom("id", "name", "NAME", "nickname", "unknown"),
    }),
    { maxLength: 6 },
  ),
});

describe("plan and drift attach every manifest entry to the same principal (property)", () => {
  it("for users by id or userPrincipalName and groups by id, displayName or mailNickname", () => {
    const reference = loadCatalog();
    fc.assert(
      fc.property(scenario, (spec) => {
        const t = tenant().sku("ENTERPRISEPACK");
        for (const user of spec.users) t.user(`${user}@contoso.com`);
        spec.groups.forEach((g, i) =>
          t.group(g.name, { id: guidFor(`group:${i}`), mailNickname: g.nickname }),
        );
        const live = t.live();
        const manifest = t.manifest();
        for (const entry of spec.userEntries) {
          const user = live.users[entry.at % Math.max(1, live.users.length)];
          const ref =
            !user || entry.by === "unknown"
              ? "nobody@contoso.com"
              : entry.by === "id"
                ? user.id
                : entry.by === "UPN"
                  ? user.userPrincipalName.toUpperCase()
                  : user.userPrincipalName;
          manifest.user(ref);
        }
        for (const entry of spec.groupEntries) {
          const group = live.groups[entry.at % Math.max(1, live.groups.length)];
          const ref =
            !group || entry.by === "unknown"
              ? "No such group"
              : entry.by === "id"
                ? group.id
                : entry.by === "name"
                  ? group.displayName
                  : entry.by === "NAME"
                    ? group.displayName.toUpperCase()
                    : (group.mailNickname ?? group.displayName);
          manifest.group(ref);
        }
        const desired = manifest.build();

        const planned = matchPrincipals(desired, indexLiveState(live));
        const drift = createDriftContext({
          desired,
          live,
          reference,
          planProblems: [],
          toolVersion: "0.0.0-test",
          now: new Date(0),
        });
        const byPlan = (matched: typeof planned.users) =>
          new Map(matched.map((m) => [m.ref.id, m.desired.location]));
        const byDrift = (declared: typeof drift.declaredUsers) =>
          new Map([...declared].map(([id, entry]) => [id, entry.location]));
        expect(byDrift(drift.declaredUsers)).toEqual(byPlan(planned.users));
        expect(byDrift(drift.declaredGroups)).toEqual(byPlan(planned.groups));
        for (const entry of [...desired.users, ...desired.groups]) {
          const principal = drift.declaredPrincipal(entry);
          const match = [...planned.users, ...planned.groups].find((m) => m.desired === entry);
          if (match) expect(principal.id).toBe(match.ref.id);
        }
      }),
      { numRuns: 300 },
    );
  });
});
