import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstDuplicateId, idDigest } from "../../src/graph/duplicate-ids.js";
import type { LiveUser } from "../../src/model/live-state.js";

const user = (id: string, upn = `${id}@contoso.com`): LiveUser => ({
  id,
  userPrincipalName: upn,
  displayName: null,
  usageLocation: null,
  accountEnabled: true,
  assignedLicenses: [],
  licenseAssignmentStates: [],
});

/** Two different ids with the same digest, found by searching (a birthday search over 32 bits). */
function collidingIds(): [string, string] {
  const byDigest = new Map<number, string>();
  for (let i = 0; ; i += 1) {
    const id = `id-${i}`;
    const other = byDigest.get(idDigest(id));
    if (other !== undefined) return [other, id];
    byDigest.set(idDigest(id), id);
  }
}

describe("firstDuplicateId", () => {
  it("finds a user read twice exactly when one was", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uuid(), { maxLength: 60 }),
        fc.nat(),
        fc.boolean(),
        (ids, pick, twice) => {
          const users = ids.map((id) => user(id));
          if (twice && ids.length > 0)
            users.splice(pick % (users.length + 1), 0, user(ids[pick % ids.length]!, "renamed@contoso.com"));
          const found = firstDuplicateId(users);
          if (twice && ids.length > 0) expect(found?.id).toBe(ids[pick % ids.length]);
          else expect(found).toBeUndefined();
        },
      ),
    );
  });

  it("tells apart different ids whose digests are equal", () => {
    const [a, b] = collidingIds();
    expect(a).not.toBe(b);
    expect(idDigest(a)).toBe(idDigest(b));
    expect(firstDuplicateId([user(a), user(b)])).toBeUndefined();
    expect(firstDuplicateId([user(a), user(b), user(a, "again@contoso.com")])?.userPrincipalName).toBe(
      "again@contoso.com",
    );
  });
});
