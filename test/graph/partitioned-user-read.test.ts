import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  generateTenant,
  startEmulator,
  type RunningEmulator,
  type TenantFixture,
} from "../../src/emulator/index.js";
import type { GraphConnection } from "../../src/graph/create-graph-client.js";
import { readUsers, type UserReadProgress } from "../../src/graph/partitioned-user-read.js";
import { readLiveState, USER_SELECT } from "../../src/graph/read-live-state.js";
import type { LiveUser } from "../../src/model/live-state.js";
import { digestLiveState } from "../../src/plan/live-digest.js";
import { connectTo, memberBatches, smallTenant } from "./emulator-helpers.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const instant = { sleep: () => Promise.resolve(), random: () => 0.5 };
const byId = (users: readonly LiveUser[]) =>
  [...users].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Reads the users with small pages, so that a tenant of a few dozen users spans many ranges and pages. */
function read(url: string, concurrency: number, onProgress?: (p: UserReadProgress) => void) {
  return readUsers(connectTo(url), {
    concurrency,
    pageSize: 4,
    select: USER_SELECT,
    paging: instant,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** Initials a partitioned read must not lose: digits, punctuation, capitals, accents, other scripts. */
const INITIALS = [
  "0",
  "7",
  "_",
  "-",
  ".",
  "'",
  "A",
  "M",
  "Z",
  "a",
  "b",
  "l",
  "s",
  "w",
  "z",
  "É",
  "ß",
  "Ω",
  "Я",
  "李",
];

const tenantOf = (locals: readonly string[]): TenantFixture => {
  const base = smallTenant();
  return {
    ...base,
    users: locals.map((local, i) => ({
      upn: `${local}${i}@contoso.com`,
      usageLocation: i % 7 === 0 ? null : "US",
      ...(i % 3 === 0 ? { licenses: [{ sku: "ENTERPRISEPACK" }] } : {}),
    })),
    groups: [],
  };
};

describe("partitioned read of users", () => {
  it("returns exactly the users of the sequential read, on generated tenants (property)", async () => {
    const local = fc
      .tuple(
        fc.constantFrom(...INITIALS),
        fc.string({ unit: fc.constantFrom("a", "e", "l", "s", "u", "."), maxLength: 4 }),
      )
      .map(([initial, rest]) => `${initial}${rest}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(local, { minLength: 0, maxLength: 90 }),
        fc.integer({ min: 2, max: 6 }),
        async (locals, concurrency) => {
          const running = await startEmulator({ tenant: tenantOf(locals) });
          try {
            const restarts: string[] = [];
            const sequential = await read(running.url, 1);
            const partitioned = await read(running.url, concurrency, (p) => {
              if (p.restarted) restarts.push(p.restarted);
            });
            expect(restarts).toEqual([]);
            expect(partitioned).toHaveLength(locals.length);
            expect(byId(partitioned)).toEqual(byId(sequential));
          } finally {
            await running.stop();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it("reads a 2,500-user tenant into the same live state as the sequential read, in a few more pages", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 2500, groups: 30, seed: 7 }) });
    const sequential = await readLiveState(connectTo(emulator.url), { readConcurrency: 1 });
    emulator.resetCounters();
    const totals: number[] = [];
    const live = await readLiveState(connectTo(emulator.url), {
      onProgress: (e) => void (e.phase === "users" && e.total !== undefined && totals.push(e.total)),
    });
    expect(digestLiveState({ ...live, users: byId(live.users) })).toBe(
      digestLiveState({ ...sequential, users: byId(sequential.users) }),
    );
    expect(byId(live.users)).toEqual(byId(sequential.users));
    expect(new Set(totals)).toEqual(new Set([2500]));
    // Counted in one $batch beside the tenant's and the member pages'; pages: at most one partly filled page per partition more.
    const licensed = emulator.snapshot().groups.filter((g) => g.assignedLicenses.length > 0);
    const members = memberBatches(licensed.map((g) => g.memberIds!.length));
    expect(emulator.counters.byRoute["POST /$batch"]).toBe(2 + members);
  });

  it("reads every partition at once, never with more user pages in flight than the concurrency", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 400, groups: 4, seed: 3 }) });
    const connection = connectTo(emulator.url);
    const send = connection.send.bind(connection);
    let inFlight = 0;
    let most = 0;
    const ranges: string[] = [];
    let startedWhenOneWasDone = -1;
    const watched: GraphConnection = {
      ...connection,
      send: async (request) => {
        // Next pages come as absolute nextLinks.
        const path = request.url.replace(/^https?:\/\/[^/]+\/v1\.0/, "");
        const filter = /^\/users\?.*\$filter=([^&]*)/.exec(path)?.[1];
        if (filter === undefined || request.url.includes("$count")) return send(request);
        if (!ranges.includes(filter)) ranges.push(filter);
        most = Math.max(most, (inFlight += 1));
        try {
          const response = await send(request);
          // The first range read to its end: how many ranges had started by then.
          if (
            startedWhenOneWasDone < 0 &&
            !Buffer.from(response.body as Uint8Array).includes("@odata.nextLink")
          )
            startedWhenOneWasDone = ranges.length;
          return response;
        } finally {
          inFlight -= 1;
        }
      },
    };
    const users = await readUsers(watched, {
      concurrency: 3,
      pageSize: 4,
      select: USER_SELECT,
      paging: instant,
    });
    expect(byId(users)).toEqual(byId(await read(emulator.url, 1)));
    expect(most).toBe(3);
    expect(ranges.length).toBeGreaterThan(3);
    // With one reader per partition, no more than 3 ranges could start before one was done.
    expect(startedWhenOneWasDone).toBe(ranges.length);
  });

  it("waits out 429 answers of the resource-unit throttle and still reads every user", async () => {
    emulator = await startEmulator({ tenant: smallTenant(), resourceUnits: { quota: 30 } });
    const users = await readUsers(connectTo(emulator.url), {
      concurrency: 4,
      pageSize: 5,
      select: USER_SELECT,
      paging: { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: () => 0.5 },
    });
    expect(emulator.counters.throttled).toBeGreaterThan(0);
    expect(users.map((u) => u.id).sort()).toEqual(
      emulator
        .snapshot()
        .users.map((u) => u.id)
        .sort(),
    );
  }, 60_000);

  it("reads again page after page when a user is renamed across ranges during the read", async () => {
    emulator = await startEmulator({ tenant: smallTenant() });
    const url = emulator.url;
    const restarts: string[] = [];
    // Another administrator renames Adele into the last range after her page was read, before that range is.
    const connection = connectTo(url);
    const send = connection.send.bind(connection);
    let adeleRead: () => void = () => undefined;
    const adeleWasRead = new Promise<void>((resolve) => (adeleRead = resolve));
    let renamed = false;
    const renaming: GraphConnection = {
      ...connection,
      send: async (request) => {
        if (!renamed && decodeURIComponent(request.url).includes("userPrincipalName ge 'w'")) {
          renamed = true;
          await adeleWasRead;
          await fetch(`${url}/v1.0/users/adele@contoso.com`, {
            method: "PATCH",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ userPrincipalName: "zz.adele@contoso.com" }),
          });
        }
        const response = await send(request);
        if (response.body instanceof Uint8Array && Buffer.from(response.body).includes("adele@contoso.com"))
          adeleRead();
        return response;
      },
    };
    const users = await readUsers(renaming, {
      concurrency: 2,
      pageSize: 4,
      select: USER_SELECT,
      paging: instant,
      onProgress: (p) => void (p.restarted && restarts.push(p.restarted)),
    });
    expect(renamed).toBe(true);
    expect(restarts).toEqual(["user zz.adele@contoso.com was read in two ranges (renamed during the read?)"]);
    const after = await read(url, 1);
    expect(byId(users)).toEqual(byId(after));
    expect(users.filter((u) => u.userPrincipalName === "zz.adele@contoso.com")).toHaveLength(1);
  });
});
