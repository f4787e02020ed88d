import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateTenant, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import type * as PartitionedRead from "../../src/graph/partitioned-user-read.js";
import type * as Pool from "../../src/graph/user-page-pool.js";
import { USER_SELECT } from "../../src/graph/read-live-state.js";
import { readUsers } from "../../src/graph/partitioned-user-read.js";
import type { LiveUser } from "../../src/model/live-state.js";
import { builtCli } from "../reliability/built-cli.js";
import { connectTo } from "./emulator-helpers.js";

/*
 * Worker threads run built JavaScript, so these tests load the built modules
 * (dist/, or a private build when dist/ is older than the sources) beside the
 * sources, whose reads parse in this thread.
 */
let dist: string;
const built = async <T>(module: string): Promise<T> =>
  (await import(pathToFileURL(join(dist, module)).href)) as T;

beforeAll(async () => {
  dist = dirname(dirname(await builtCli()));
}, 120_000);

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const paging = { sleep: () => Promise.resolve(), random: () => 0.5 };
const byId = (users: readonly LiveUser[]) => [...users].sort((a, b) => (a.id < b.id ? -1 : 1));

describe("pages of users parsed in worker threads", () => {
  it("read the same users as page after page in this thread", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 3000, groups: 12, seed: 21 }) });
    const pool = await built<typeof Pool>("graph/user-page-pool.js");
    expect(pool.workersAvailable()).toBe(true);
    const { readUsers: readInWorkers } = await built<typeof PartitionedRead>(
      "graph/partitioned-user-read.js",
    );
    const options = { pageSize: 97, select: USER_SELECT, paging };
    const pages: number[] = [];
    const inWorkers = await readInWorkers(connectTo(emulator.url), {
      ...options,
      concurrency: 6,
      parseInWorkers: true,
      onProgress: (p) => pages.push(p.pages),
    });
    const sequential = await readUsers(connectTo(emulator.url), { ...options, concurrency: 1 });
    expect(inWorkers).toHaveLength(3000);
    expect(byId(inWorkers)).toEqual(byId(sequential));
    expect(Math.max(...pages)).toBeGreaterThanOrEqual(Math.ceil(3000 / 97));
  });

  it("refuse a page that is not JSON, and parse the next one", async () => {
    const { UserPagePool, inlineDecoder } = await built<typeof Pool>("graph/user-page-pool.js");
    const pool = new UserPagePool(2);
    try {
      const bad = await pool
        .decode(new Uint8Array(Buffer.from("<html>busy</html>")))
        .catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: "graph-unexpected" });
      expect((bad as Error).message).toContain("not JSON");
      const text =
        '{"@odata.nextLink":"http://127.0.0.1/v1.0/users?$skiptoken=a","value":[{"id":"A1","userPrincipalName":"a@x.com","assignedLicenses":[{"skuId":"S","disabledPlans":[]}]}]}';
      const page = await pool.decode(new Uint8Array(Buffer.from(text)));
      expect(page).toEqual(await inlineDecoder().decode(new Uint8Array(Buffer.from(text))));
      expect(page.users[0]).toMatchObject({
        id: "a1",
        assignedLicenses: [{ skuId: "s", disabledPlans: [] }],
      });
    } finally {
      await pool.close();
    }
  });
});
