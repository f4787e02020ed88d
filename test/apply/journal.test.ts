import { readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXAMPLE_MANIFESTS, startHarness, type CliHarness } from "../cli/cli-harness.js";

let harness: CliHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ALLOW = ["--max-removals", "10"];

interface JournalLine {
  type: string;
  changeId?: string;
  attempt?: number;
  request?: { method: string; url: string; body?: unknown };
  status?: number;
  requestId?: string;
  durationMs?: number;
  outcome?: string;
  verdict?: string;
}

const readJournal = async (path: string): Promise<JournalLine[]> =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JournalLine);

describe("apply --journal", () => {
  it("appends one line per write with request, status, request-id, timing and outcome", async () => {
    // Every write is carried out but answered 504: the journal shows the lost answer and the read-back.
    harness = await startHarness({ faults: { lostWrites: { rate: 1, carriedOut: true, answer: 504 } } });
    expect((await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--out", "plan.json", "--quiet"])).code).toBe(
      0,
    );
    const plan = JSON.parse(await readFile(join(harness.dir, "plan.json"), "utf8")) as {
      summary: { changes: number };
    };
    const journalPath = join(harness.dir, "apply-journal.jsonl");
    await writeFile(journalPath, '{"type":"earlier run"}\n');

    const applied = await harness.run(["apply", "plan.json", "--journal", "apply-journal.jsonl", ...ALLOW]);
    expect(applied.code, applied.err).toBe(0);

    const lines = await readJournal(journalPath);
    expect(lines[0]).toEqual({ type: "earlier run" });
    const writes = lines.filter((l) => l.type === "write");
    expect(writes).toHaveLength(plan.summary.changes);
    for (const write of writes) {
      expect(write.changeId).toEqual(expect.any(String));
      expect(write.request?.method).toMatch(/^(POST|PATCH)$/);
      expect(write.request?.url).toMatch(/^\/users\/|^\/groups\//);
      expect(write.status).toBe(504);
      expect(write.outcome).toBe("answer-lost");
      expect(write.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(write.durationMs).toBeGreaterThanOrEqual(0);
    }
    const readBacks = lines.filter((l) => l.type === "read-back");
    expect(readBacks).toHaveLength(plan.summary.changes);
    expect(readBacks.every((l) => l.verdict === "applied")).toBe(true);
    const changes = lines.filter((l) => l.type === "change");
    expect(new Set(changes.map((l) => l.changeId))).toEqual(new Set(writes.map((l) => l.changeId)));
    expect(lines.at(-1)?.type).toBe("apply-finished");
  });

  it("never writes through a symbolic link, and then writes nothing to the tenant", async () => {
    harness = await startHarness();
    expect((await harness.run(["plan", "-m", EXAMPLE_MANIFESTS, "--out", "plan.json", "--quiet"])).code).toBe(
      0,
    );
    const victim = join(harness.dir, "victim.txt");
    await writeFile(victim, "precious\n");
    await symlink(victim, join(harness.dir, "apply-journal.jsonl"));

    const refused = await harness.run(["apply", "plan.json", "--journal", "apply-journal.jsonl", ...ALLOW]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/apply-journal\.jsonl is a symbolic link/);
    expect(await readFile(victim, "utf8")).toBe("precious\n");
    expect(harness.emulator.counters.writesAttempted).toBe(0);
  });
});
