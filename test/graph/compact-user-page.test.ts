import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserPageCompactor, UserPageExpander } from "../../src/graph/compact-user-page.js";
import { leadingNextLink } from "../../src/graph/decoded-pages.js";
import { UserNormalizer, type RawUser } from "../../src/graph/normalize-live-state.js";

const SKUS = ["6FD2C87F-B296-42F0-B197-1E91E994B900", "06ebc4ee-1bb5-47dd-8120-11324bc54e06"];
const PLANS = ["7547a3fe-08ee-4ccb-b430-5077c5041653", "882E1D05-ACD1-4CCB-8708-6EE03664B117"];

const text = fc.oneof(fc.string(), fc.constantFrom("Adele Vance", "Zoë", "李雷", 'a "quoted" \\ name'));
const plans = fc.oneof(fc.constant(null), fc.subarray(PLANS));
const rawUser: fc.Arbitrary<RawUser> = fc.record(
  {
    id: fc.uuid(),
    userPrincipalName: text,
    displayName: fc.option(text),
    usageLocation: fc.option(fc.constantFrom("US", "GB", "")),
    accountEnabled: fc.option(fc.boolean()),
    department: fc.option(fc.constantFrom("Sales", "", "R&D")),
    assignedLicenses: fc.option(
      fc.array(fc.record({ skuId: fc.constantFrom(...SKUS), disabledPlans: plans }), { maxLength: 2 }),
    ),
    licenseAssignmentStates: fc.option(
      fc.array(
        fc.record({
          skuId: fc.constantFrom(...SKUS),
          disabledPlans: fc.subarray(PLANS),
          assignedByGroup: fc.option(fc.constantFrom("AAAA0000-0000-4000-8000-000000000000", "")),
          state: fc.constantFrom("Active", "Error"),
          error: fc.constantFrom("None", "CountViolation"),
        }),
        { maxLength: 2 },
      ),
    ),
  },
  { requiredKeys: ["id"] },
);

/** What a page of these users becomes after a trip through the worker's structured clone. */
const throughThreads = <T>(value: T): T => structuredClone(value);

describe("compact pages of users", () => {
  it("rebuild exactly the users UserNormalizer makes, with each license list shared", () => {
    fc.assert(
      fc.property(fc.array(fc.array(rawUser, { maxLength: 12 }), { maxLength: 4 }), (pages) => {
        const compactor = new UserPageCompactor();
        const expander = new UserPageExpander();
        const normalizer = new UserNormalizer();
        const rebuilt = pages.flatMap((value) =>
          expander.expand(throughThreads(compactor.compact(JSON.stringify({ value })))),
        );
        const expected = pages.flat().map((raw) => normalizer.normalize(JSON.parse(JSON.stringify(raw))));
        expect(rebuilt).toEqual(expected);
        // Where the normaliser shares a list between users, so does the trip through the threads.
        for (const [i, user] of rebuilt.entries()) {
          expect(Object.isFrozen(user.assignedLicenses)).toBe(true);
          expect(Object.isFrozen(user.licenseAssignmentStates)).toBe(true);
          for (let j = i + 1; j < rebuilt.length; j += 1) {
            if (expected[j]!.licenseAssignmentStates === expected[i]!.licenseAssignmentStates)
              expect(rebuilt[j]!.licenseAssignmentStates).toBe(user.licenseAssignmentStates);
            if (expected[j]!.assignedLicenses === expected[i]!.assignedLicenses)
              expect(rebuilt[j]!.assignedLicenses).toBe(user.assignedLicenses);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("carry the next link, and refuse text that is not JSON", () => {
    const compactor = new UserPageCompactor();
    const page = compactor.compact(
      '{"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x","value":[]}',
    );
    expect(page.nextLink).toBe("https://graph.microsoft.com/v1.0/users?$skiptoken=x");
    expect(compactor.compact('{"value":[]}').nextLink).toBeUndefined();
    expect(() => compactor.compact("<html>")).toThrow(SyntaxError);
  });
});

describe("leadingNextLink", () => {
  const bytes = (s: string) => new Uint8Array(Buffer.from(s));
  const link = "https://graph.microsoft.com/v1.0/users?$select=id&$top=999&$skiptoken=RFNwdAIAAQAAAA";

  it("reads the next link Graph writes before the value", () => {
    expect(
      leadingNextLink(bytes(`{"@odata.context":"x","@odata.nextLink":"${link}","value":[{"id":"1"}]}`)),
    ).toBe(link);
  });

  it("leaves to the parse what it cannot read plainly from the first bytes", () => {
    expect(leadingNextLink(bytes(`{"value":[]}`))).toBeUndefined();
    // After the value: it could be a user's property, not the page's.
    expect(leadingNextLink(bytes(`{"value":[],"@odata.nextLink":"${link}"}`))).toBeUndefined();
    expect(
      leadingNextLink(bytes(`{"@odata.nextLink":"https:\\/\\/graph.microsoft.com\\/x","value":[]}`)),
    ).toBeUndefined();
    expect(
      leadingNextLink(bytes(`{"@odata.nextLink":"https://graph.microsoft.com/é","value":[]}`)),
    ).toBeUndefined();
    expect(
      leadingNextLink(bytes(`{"pad":"${"x".repeat(5000)}","@odata.nextLink":"${link}","value":[]}`)),
    ).toBeUndefined();
    // Cut off before the link ends.
    expect(leadingNextLink(bytes(`{"@odata.nextLink":"${"y".repeat(5000)}","value":[]}`))).toBeUndefined();
  });

  it("reads a page that is a view into a larger buffer", () => {
    const whole = Buffer.from(`garbage{"@odata.nextLink":"${link}","value":[]}`);
    expect(leadingNextLink(new Uint8Array(whole.buffer, whole.byteOffset + 7, whole.byteLength - 7))).toBe(
      link,
    );
  });
});
