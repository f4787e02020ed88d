import { describe, expect, it } from "vitest";
import type { ApplyEvent } from "../../src/apply/apply-events.js";
import { waitForGroupProcessing } from "../../src/apply/group-wait.js";
import { RecordingWriter } from "./recording-writer.js";

describe("waitForGroupProcessing", () => {
  it("polls last at the timeout, not after it", async () => {
    const slept: number[] = [];
    const writer = new RecordingWriter({ groupStates: { g1: ["QueuedForProcessing"] } });
    const events: ApplyEvent[] = [];
    const result = await waitForGroupProcessing(
      writer,
      ["g1"],
      { timeoutMs: 1_200, pollMs: 1_000, firstPollMs: 500, sleep: async (ms) => void slept.push(ms) },
      (event) => events.push(event),
    );
    expect(slept).toEqual([500, 700]);
    expect(writer.statusCalls).toHaveLength(3);
    expect(result).toEqual({ complete: [], incomplete: ["g1"] });
    expect(events.at(-1)).toEqual({
      type: "waiting-for-groups",
      groupIds: ["g1"],
      state: "timed-out",
      total: 1,
      waitedMs: 1_200,
    });
  });

  it("asks only about the groups still pending, and trusts only two complete polls in a row", async () => {
    const writer = new RecordingWriter({
      groupStates: {
        g1: ["ProcessingInProgress", "ProcessingComplete", "ProcessingComplete"],
        // Read complete once right after the write, then Graph catches up.
        g2: ["ProcessingComplete", "ProcessingInProgress", "ProcessingComplete", "ProcessingComplete"],
      },
    });
    const result = await waitForGroupProcessing(
      writer,
      ["g1", "g2", "g1"],
      { timeoutMs: 60_000, pollMs: 1_000, sleep: async () => undefined },
      () => undefined,
    );
    expect(writer.statusCalls).toEqual([["g1", "g2"], ["g1", "g2"], ["g1", "g2"], ["g2"]]);
    expect(result).toEqual({ complete: ["g1", "g2"], incomplete: [] });
  });

  it("does not count a null processing state as complete", async () => {
    const writer = new RecordingWriter({ groupStates: { g1: [null] } });
    const result = await waitForGroupProcessing(
      writer,
      ["g1"],
      { timeoutMs: 3, pollMs: 1, sleep: async () => undefined },
      () => undefined,
    );
    expect(result).toEqual({ complete: [], incomplete: ["g1"] });
  });

  it("matches group ids whatever their casing", async () => {
    const writer = new RecordingWriter();
    const lowerCasing = Object.assign(Object.create(writer) as RecordingWriter, {
      groupLicenseStatus: async (ids: readonly string[]) =>
        ids.map((id) => ({ groupId: id.toLowerCase(), state: "ProcessingComplete" })),
    });
    const result = await waitForGroupProcessing(
      lowerCasing,
      ["AB12CD34-0000-4000-8000-000000000001"],
      { timeoutMs: 10, pollMs: 1, sleep: async () => undefined },
      () => undefined,
    );
    expect(result.incomplete).toEqual([]);
  });

  it("makes no call for no groups", async () => {
    const writer = new RecordingWriter();
    await waitForGroupProcessing(writer, [], { timeoutMs: 10, pollMs: 1 }, () => undefined);
    expect(writer.statusCalls).toEqual([]);
  });
});
