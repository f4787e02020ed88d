import { describe, expect, it } from "vitest";
import {
  EMPTY_TALLY,
  createReadProgressReporter,
  formatReadLine,
  tallyRead,
} from "../../src/cli/read-progress.js";
import { RecordingIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import type { ReadProgressEvent } from "../../src/graph/read-live-state.js";

const events: ReadProgressEvent[] = [
  { phase: "groups", done: 200, pages: 1 },
  { phase: "members", done: 3, total: 161 },
  { phase: "users", done: 999, pages: 1, total: 100_000 },
  { phase: "users", done: 45_000, pages: 46, total: 100_000 },
];

describe("read progress", () => {
  it("folds events into users, pages, groups and member groups, with the totals known", () => {
    const tally = events.reduce(tallyRead, EMPTY_TALLY);
    expect(tally).toEqual({
      users: 45_000,
      userPages: 46,
      usersTotal: 100_000,
      groups: 200,
      memberGroups: 3,
      memberGroupsTotal: 161,
    });
    expect(formatReadLine(tally, 4_500)).toBe(
      "Reading: 45,000/100,000 users (46 pages), 200 groups, members of 3/161 groups, 10,000 users/s",
    );
    expect(formatReadLine(tallyRead(EMPTY_TALLY, { phase: "users", done: 999, pages: 1 }), 100)).toBe(
      "Reading: 999 users (1 page), 0 groups",
    );
  });

  it("redraws one line in place on a terminal, at most every 100 ms, and clears it", () => {
    const io = new RecordingIo();
    io.stderrIsTTY = true;
    let now = 0;
    const reporter = createReadProgressReporter(io, { quiet: false, now: () => now });
    for (const event of events) {
      reporter.onProgress(event);
      now += 40;
    }
    const draws = io.err.split("\r\u001b[K").filter(Boolean);
    expect(draws).toHaveLength(2);
    expect(io.err).not.toContain("\n");
    reporter.clear();
    expect(io.err.endsWith("\r\u001b[K")).toBe(true);
  });

  it("writes a plain line every few seconds in CI, none for a short read, none with --quiet", () => {
    const ci = new RecordingIo();
    let now = 0;
    const reporter = createReadProgressReporter(ci, { quiet: false, now: () => now });
    reporter.onProgress(events[2]!);
    now = 1_000;
    reporter.onProgress(events[3]!);
    expect(ci.err).toBe("");
    for (let i = 0; i < 12; i++) {
      now += 1_000;
      reporter.onProgress({ phase: "users", done: 45_000 + i * 999, pages: 47 + i, total: 100_000 });
    }
    const lines = ci.err.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^Reading: [\d,]+\/100,000 users \(\d+ pages\)/);
    expect(ci.err).not.toContain("\u001b");

    const quiet = new RecordingIo();
    quiet.stderrIsTTY = true;
    const silent = createReadProgressReporter(quiet, { quiet: true, now: () => (now += 1_000) });
    for (const event of events) silent.onProgress(event);
    silent.onProgress({ phase: "users", done: 0, pages: 0, restarted: "a count that lags" });
    expect(quiet.err).toBe("");
  });

  it("says so when the users are read again page after page", () => {
    const io = new RecordingIo();
    const reporter = createReadProgressReporter(io, { quiet: false, now: () => 0 });
    reporter.onProgress({ phase: "users", done: 0, pages: 0, restarted: "user x was read in two ranges" });
    expect(io.err).toBe(
      "Reading the users again page after page: the partitioned read could not be proved complete (user x was read in two ranges).\n",
    );
  });

  it("refuses a --read-concurrency that is not a whole number from 1 to 32", async () => {
    for (const value of ["0", "33", "2.5", "many"]) {
      const io = new RecordingIo();
      const code = await runCli(["export", "--read-concurrency", value, "--out", "x"], io);
      expect(code, value).not.toBe(0);
      expect(io.err).toContain(`--read-concurrency ${value} is not a whole number from 1 to 32`);
    }
  });
});
