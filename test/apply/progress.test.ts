import { describe, expect, it } from "vitest";
import type { ApplyEvent } from "../../src/apply/apply-events.js";
import {
  advanceWave,
  createProgressReporter,
  fitLine,
  formatGroupWaitLine,
  formatWaveBar,
  formatWaveLine,
  type WaveProgress,
} from "../../src/cli/progress.js";
import { stripAnsi } from "../../src/report/style.js";

const wave: WaveProgress = {
  index: 1,
  waveCount: 5,
  kind: "remove-users",
  total: 40,
  applied: 10,
  failed: 0,
  skipped: 0,
  throttled: 0,
};

function run(events: readonly ApplyEvent[], tty: boolean, quiet = false): string {
  let text = "";
  const report = createProgressReporter(
    { stderr: (t) => void (text += t), stderrIsTTY: tty },
    { quiet, color: false },
  );
  events.forEach(report);
  return text;
}

const waveEvents = (failedAt?: number): ApplyEvent[] => [
  { type: "apply-started", waveCount: 2, changes: 4 },
  { type: "wave-started", waveIndex: 0, waveCount: 2, kind: "usage-locations", changes: 1 },
  { type: "change-done", waveIndex: 0, changeId: "a", status: "applied", principal: "a@contoso.com" },
  {
    type: "wave-finished",
    waveIndex: 0,
    waveCount: 2,
    kind: "usage-locations",
    applied: 1,
    failed: 0,
    skipped: 0,
  },
  { type: "wave-started", waveIndex: 1, waveCount: 2, kind: "add-users", changes: 3 },
  ...[0, 1, 2].map((i): ApplyEvent =>
    i === failedAt
      ? {
          type: "change-done",
          waveIndex: 1,
          changeId: `c${i}`,
          status: "failed",
          principal: `u${i}@contoso.com`,
          message: "No seats.",
        }
      : {
          type: "change-done",
          waveIndex: 1,
          changeId: `c${i}`,
          status: "applied",
          principal: `u${i}@contoso.com`,
        },
  ),
  {
    type: "wave-finished",
    waveIndex: 1,
    waveCount: 2,
    kind: "add-users",
    applied: failedAt === undefined ? 3 : 2,
    failed: failedAt === undefined ? 0 : 1,
    skipped: 0,
  },
  { type: "apply-finished", applied: 3, failed: 1, skipped: 0, durationMs: 5 },
];

describe("progress formatting", () => {
  it("formats the CI line", () => {
    expect(formatWaveLine({ ...wave, applied: 40 }, { color: false })).toBe(
      "wave 2/5 remove-users: 40/40 done, 0 failed",
    );
    expect(
      formatWaveLine({ ...wave, applied: 37, failed: 2, skipped: 1, throttled: 3 }, { color: false }),
    ).toBe("wave 2/5 remove-users: 40/40 done, 2 failed, 1 skipped, throttled 3x");
  });

  it("formats the bar in proportion to what is done", () => {
    expect(formatWaveBar(wave, { color: false, barWidth: 8 })).toBe(
      "wave 2/5 remove-users [##------] 10/40, 0 failed",
    );
    expect(formatWaveBar({ ...wave, applied: 40 }, { color: false, barWidth: 8 })).toBe(
      "wave 2/5 remove-users [########] 40/40, 0 failed",
    );
    expect(formatWaveBar({ ...wave, total: 0, applied: 0 }, { color: false, barWidth: 4 })).toContain(
      "[####] 0/0",
    );
  });

  it("shows when Graph throttles, until the wave is done", () => {
    const throttled = advanceWave(wave, { type: "throttled", retryAfterMs: 9_500, scope: "request" })!;
    expect(formatWaveBar(throttled, { color: false, barWidth: 4 })).toBe(
      "wave 2/5 remove-users [#---] 10/40, 0 failed, throttled 1x (throttled, retrying in 10s)",
    );
    expect(formatWaveBar({ ...throttled, applied: 40 }, { color: false, barWidth: 4 })).not.toContain(
      "retrying",
    );
  });

  it("colours without changing the text", () => {
    const coloured = formatWaveBar({ ...wave, failed: 1 }, { color: true });
    expect(coloured).toContain("\u001b[");
    expect(stripAnsi(coloured)).toBe(formatWaveBar({ ...wave, failed: 1 }, { color: false }));
  });

  it("formats group waits", () => {
    const event = (
      state: "waiting" | "complete" | "timed-out",
    ): ApplyEvent & { type: "waiting-for-groups" } => ({
      type: "waiting-for-groups",
      groupIds: ["g1", "g2"],
      state,
      total: 3,
      waitedMs: 10_000,
    });
    expect(formatGroupWaitLine(event("waiting"), { color: false })).toBe(
      "waiting for license processing of 2 of 3 groups (10s)",
    );
    expect(formatGroupWaitLine(event("complete"), { color: false })).toBe(
      "license processing complete for 3 groups (10s)",
    );
    expect(formatGroupWaitLine(event("timed-out"), { color: false })).toBe(
      "license processing of 2 of 3 groups did not complete in 10s",
    );
  });

  it("counts change events into the current wave only", () => {
    const next = advanceWave(wave, {
      type: "change-done",
      waveIndex: 1,
      changeId: "x",
      status: "skipped",
      principal: "p",
    });
    expect(next).toMatchObject({ applied: 10, skipped: 1 });
    expect(
      advanceWave(wave, {
        type: "change-done",
        waveIndex: 0,
        changeId: "x",
        status: "failed",
        principal: "p",
      }),
    ).toBe(wave);
  });
});

describe("createProgressReporter", () => {
  it("prints plain lines in CI", () => {
    expect(run(waveEvents(1), false)).toBe(
      [
        "wave 1/2 usage-locations: 1 change",
        "wave 1/2 usage-locations: 1/1 done, 0 failed",
        "wave 2/2 add-users: 3 changes",
        "failed: u1@contoso.com: No seats.",
        "wave 2/2 add-users: 3/3 done, 1 failed",
        "",
      ].join("\n"),
    );
  });

  it("prints one CI line per change of what is pending, not one per poll", () => {
    const waiting = (ids: string[], state: "waiting" | "complete", waitedMs: number): ApplyEvent => ({
      type: "waiting-for-groups",
      groupIds: ids,
      state,
      total: 2,
      waitedMs,
    });
    const text = run(
      [
        waiting(["g1", "g2"], "waiting", 0),
        waiting(["g1", "g2"], "waiting", 5_000),
        waiting(["g1"], "waiting", 10_000),
        waiting(["g1", "g2"], "complete", 15_000),
      ],
      false,
    );
    expect(text.trim().split("\n")).toEqual([
      "waiting for license processing of 2 groups (0s)",
      "waiting for license processing of 1 of 2 groups (10s)",
      "license processing complete for 2 groups (15s)",
    ]);
  });

  it("draws one updating line per wave on a terminal, with failures above it", () => {
    const text = run(waveEvents(1), true);
    const finalLines = text.split("\n").map((line) => line.split("\r\u001b[K").at(-1));
    expect(finalLines).toEqual([
      "wave 1/2 usage-locations [########################] 1/1, 0 failed",
      "failed: u1@contoso.com: No seats.",
      "wave 2/2 add-users [########################] 3/3, 1 failed",
      "",
    ]);
    // Each wave is redrawn in place: carriage returns, not new lines, between updates.
    expect(text.split("\n")[2]).toContain(
      "\r\u001b[Kwave 2/2 add-users [################--------] 2/3, 1 failed",
    );
  });

  it("cuts the bar to the terminal width, so it can be redrawn in place", () => {
    let text = "";
    const report = createProgressReporter(
      { stderr: (t) => void (text += t), stderrIsTTY: true, stderrColumns: 40 },
      { quiet: false, color: true },
    );
    waveEvents().forEach(report);
    for (const line of text.replaceAll("\r\u001b[K", "\n").split("\n"))
      expect(stripAnsi(line).length).toBeLessThanOrEqual(39);
    expect(fitLine("\u001b[31mshort\u001b[39m", 10)).toBe("\u001b[31mshort\u001b[39m");
    expect(fitLine("\u001b[31mlonger line\u001b[39m", 6)).toBe("longer");
  });

  it("keeps a CI log alive through a long wave and a long throttle wait: a line every 5 s at most", () => {
    let text = "";
    let clock = 0;
    const report = createProgressReporter(
      { stderr: (t) => void (text += t), stderrIsTTY: false },
      { quiet: false, color: false, now: () => clock },
    );
    const change = (i: number): ApplyEvent => ({
      type: "change-done",
      waveIndex: 0,
      changeId: `c${i}`,
      status: "applied",
      principal: `u${i}@contoso.com`,
    });
    report({ type: "apply-started", waveCount: 1, changes: 100 });
    report({ type: "wave-started", waveIndex: 0, waveCount: 1, kind: "add-users", changes: 100 });
    // 20 changes a second for 3 s: no line yet.
    for (let i = 0; i < 60; i++) {
      clock += 50;
      report(change(i));
    }
    expect(text).toBe("wave 1/1 add-users: 100 changes\n");
    // Past 5 s, one line; then Graph asks for a 2-minute wait, which the next line says.
    for (let i = 60; i < 80; i++) {
      clock += 150;
      report(change(i));
    }
    clock += 5_000;
    report({ type: "throttled", retryAfterMs: 120_000, scope: "batch" });
    expect(text.split("\n").slice(1, -1)).toEqual([
      "wave 1/1 add-users: 74/100 done, 0 failed",
      "wave 1/1 add-users: 80/100 done, 0 failed, throttled 1x (throttled, retrying in 120s)",
    ]);
  });

  it("prints only failures when quiet", () => {
    expect(run(waveEvents(2), true, true)).toBe("failed: u2@contoso.com: No seats.\n");
    expect(run(waveEvents(), false, true)).toBe("");
  });
});
