import { afterEach, describe, expect, it } from "vitest";
import { generateTenant, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { collectPagesInBatches } from "../../src/graph/batched-pages.js";
import { isLicensectlError } from "../../src/model/errors.js";
import { connectTo, scaledSleep } from "./emulator-helpers.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const instant = { sleep: (_ms: number) => Promise.resolve(), random: () => 0.5 };
const membersUrl = (groupId: string, top: number) =>
  `/groups/${groupId}/members/microsoft.graph.user?$select=id&$top=${top}`;

/** Reads the member ids of these groups through collectPagesInBatches. */
async function readMembers(
  url: string,
  groupIds: readonly string[],
  top: number,
  paging = instant,
): Promise<string[][]> {
  const members = groupIds.map((): string[] => []);
  const done: number[] = [];
  await collectPagesInBatches(
    connectTo(url),
    groupIds.map((id) => membersUrl(id, top)),
    (index, page: readonly { id: string }[]) => members[index]!.push(...page.map((m) => m.id)),
    { concurrency: 2, paging, onCollectionDone: (index) => done.push(index) },
  );
  expect([...done].sort((a, b) => a - b)).toEqual(groupIds.map((_, index) => index));
  return members;
}

describe("collectPagesInBatches", () => {
  it("reads every page of every collection, next pages in later batches", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 600, groups: 25, seed: 4 }) });
    const groups = emulator.snapshot().groups;
    const top = 5;
    const members = await readMembers(emulator.url, [...groups.map((g) => g.id)], top);

    for (const [index, group] of groups.entries()) {
      expect([...members[index]!].sort(), group.displayName).toEqual([...group.memberIds!].sort());
    }
    // Round r reads the r-th page of each group that has one, 20 pages to a batch.
    const pages = groups.map((g) => Math.max(1, Math.ceil(g.memberIds!.length / top)));
    expect(Math.max(...pages)).toBeGreaterThan(1);
    let batches = 0;
    for (let round = 1; round <= Math.max(...pages); round += 1) {
      batches += Math.ceil(pages.filter((p) => p >= round).length / 20);
    }
    expect(emulator.counters.requests).toBe(batches);
    expect(emulator.counters.byRoute["GET /groups/{id}/members/microsoft.graph.user"]).toBe(
      pages.reduce((a, b) => a + b, 0),
    );
  });

  it("fails as the GET would when one collection cannot be read, naming it", async () => {
    emulator = await startEmulator({ tenant: generateTenant({ users: 50, groups: 3, seed: 4 }) });
    const missing = "00000000-0000-4000-8000-00000000abcd";
    const known = emulator.snapshot().groups[0]!.id;
    const error = await readMembers(emulator.url, [known, missing], 999).catch((e: unknown) => e);
    expect(isLicensectlError(error)).toBe(true);
    expect((error as Error).message).toContain("404 Request_ResourceNotFound");
    expect((error as Error).message).toContain(`/groups/${missing}/members`);
  });

  it("retries pages Graph throttles inside the batch, after their Retry-After", async () => {
    emulator = await startEmulator({
      tenant: generateTenant({ users: 400, groups: 30, seed: 9 }),
      // 30 member pages cost 60 resource units: 50 go at once, the rest after the bucket refills.
      resourceUnits: { quota: 50 },
    });
    const groups = emulator.snapshot().groups;
    const members = await readMembers(emulator.url, [...groups.map((g) => g.id)], 999, {
      sleep: scaledSleep(1),
      random: () => 0.5,
    });
    expect(emulator.counters.throttled).toBeGreaterThan(0);
    for (const [index, group] of groups.entries()) {
      expect([...members[index]!].sort()).toEqual([...group.memberIds!].sort());
    }
  }, 60_000);
});
