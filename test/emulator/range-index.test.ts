import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { storeUserSubject, userSubject } from "../../src/emulator/filter-subjects.js";
import { generateTenant } from "../../src/emulator/index.js";
import { pageCollection, readQuery, type Page } from "../../src/emulator/query.js";
import { resolveFixture } from "../../src/emulator/resolve-fixture.js";
import { TenantStore } from "../../src/emulator/tenant-store.js";
import type { UserRecord } from "../../src/emulator/tenant-model.js";

/** Names that sort before letters (digits, punctuation), after them (non-Latin), and in upper case. */
const ODD_NAMES = [
  "0800@contoso.com",
  "_svc@contoso.com",
  "Zoë@contoso.com",
  "Émile@contoso.com",
  "Ωmega@x.com",
];

function store(): TenantStore {
  const tenant = generateTenant({ users: 240, groups: 4, seed: 11 });
  const users = [...tenant.users, ...ODD_NAMES.map((upn) => ({ upn, usageLocation: "US" }))];
  return new TenantStore(resolveFixture({ ...tenant, users }, loadCatalog()), true);
}

const URL_PARTS = { origin: "http://127.0.0.1:1", pathname: "/v1.0/users" };

/** Every page of a filtered read, following the nextLinks. */
function readPages(s: TenantStore, indexed: boolean, params: Record<string, string>, eventual: boolean) {
  const subject = indexed ? storeUserSubject(s) : userSubject(s);
  const pages: { ids: string[]; nextLink?: string; count?: number }[] = [];
  let search = new URLSearchParams(params);
  for (;;) {
    const page: Page<UserRecord> = pageCollection(
      s.users,
      readQuery(search, eventual ? "eventual" : undefined),
      URL_PARTS,
      subject,
    );
    pages.push({
      ids: page.items.map((u) => u.id),
      ...(page.nextLink ? { nextLink: page.nextLink } : {}),
      ...(page.count !== undefined ? { count: page.count } : {}),
    });
    if (!page.nextLink) return pages;
    search = new URL(page.nextLink).searchParams;
  }
}

const bound = fc.oneof(
  fc.constantFrom("", "0", "a", "m", "M", "z", "zz", "é", "ω", "user", "_"),
  fc.string({ maxLength: 3 }),
);

describe("userPrincipalName ranges from the index", () => {
  it("give the same pages, nextLinks and counts as a scan of the collection, before and after renames", () => {
    const s = store();
    // Bounds equal to a user's name (in any case) test both ends being inclusive.
    const name = fc.nat().map((i) => s.users[i % s.users.length]!.userPrincipalName);
    const anyBound = fc.oneof(
      bound,
      name,
      name.map((n) => n.toUpperCase()),
    );
    fc.assert(
      fc.property(
        fc.option(anyBound, { nil: undefined }),
        fc.option(anyBound, { nil: undefined }),
        fc.constantFrom(1, 3, 50, 999),
        fc.boolean(),
        fc.option(fc.tuple(fc.nat(), bound), { nil: undefined }),
        (from, to, top, counted, rename) => {
          if (rename !== undefined) {
            const user = s.users[rename[0] % s.users.length]!;
            const name = `${rename[1].replace(/[@\s]/g, "")}r${rename[0]}@contoso.com`;
            if (s.findUser(name) === undefined) s.renameUser(user, name);
          }
          const clauses = [
            ...(from !== undefined ? [`userPrincipalName ge '${from.replace(/'/g, "''")}'`] : []),
            ...(to !== undefined ? [`userPrincipalName le '${to.replace(/'/g, "''")}'`] : []),
          ];
          if (clauses.length === 0) return;
          const params = {
            $select: "id",
            $top: String(top),
            $filter: clauses.join(" and "),
            ...(counted ? { $count: "true" } : {}),
          };
          const indexed = readPages(s, true, params, counted);
          expect(indexed).toEqual(readPages(s, false, params, counted));
          const inRange = s.users.filter((u) => {
            const key = u.userPrincipalName.toLowerCase();
            return (
              (from === undefined || key >= from.toLowerCase()) &&
              (to === undefined || key <= to.toLowerCase())
            );
          });
          expect(indexed.flatMap((p) => p.ids)).toEqual(inRange.map((u) => u.id));
        },
      ),
      { numRuns: 300 },
    );
  });
});
