import { describe, expect, it } from "vitest";
import {
  describeOutcomeAction,
  formatDuration,
  renderApplyResultJson,
  renderApplyResultText,
} from "../../src/report/apply/render-apply-result.js";
import { stripAnsi } from "../../src/report/style.js";
import { SAMPLE_RESULT } from "./sample-result.js";

describe("renderApplyResultText", () => {
  it("lists failures with principal, SKU and Graph's message, skips with reasons, group errors and a summary", () => {
    expect(renderApplyResultText(SAMPLE_RESULT, { color: false })).toBe(
      [
        "Failed (1):",
        "  x adele.vance@contoso.com  add ENTERPRISEPREMIUM, remove ENTERPRISEPACK",
        "      Request_BadRequest: Subscription with SKU c7df2760-2c81-4ef7-b578-5b5392b571df does not have any available licenses. (HTTP 400)",
        "",
        "Skipped (1):",
        "  - carol@contoso.com  add ENTERPRISEPACK",
        "      skipped: the usage location of carol@contoso.com could not be set (change loc-carol)",
        "",
        "Group members with license errors (1):",
        "  ! dan@contoso.com  ENTERPRISEPACK  CountViolation  (group Sales)",
        "",
        "Warnings:",
        "  ! License processing of group Sales did not complete within 600s after the last wave.",
        "",
        "Apply finished: 1 applied, 1 failed, 1 skipped in 3.2s.",
        "3 write requests in 2 batches, 1 retry, 1 throttled.",
        "",
      ].join("\n"),
    );
  });

  it("is short when everything applied", () => {
    const text = renderApplyResultText(
      { ...SAMPLE_RESULT, failed: [], skipped: [], groupErrors: [], warnings: [], durationMs: 420 },
      { color: false },
    );
    expect(text).toBe(
      "Apply finished: 1 applied, 0 failed, 0 skipped in 420ms.\n3 write requests in 2 batches, 1 retry, 1 throttled.\n",
    );
  });

  it("counts lost answers apart from throttling, and lists changes of unknown outcome", () => {
    const unknown = [{ ...SAMPLE_RESULT.failed[0]!, status: "unknown" as const, changeId: "u1" }];
    const text = renderApplyResultText(
      { ...SAMPLE_RESULT, failed: [], unknown, answersLost: 2 },
      { color: false },
    );
    expect(text).toContain("1 retry, 1 throttled, 2 answers lost and read back.");
    expect(text).toContain("Outcome unknown (1):");
    expect(text).toContain("1 applied, 0 failed, 1 unknown, 1 skipped");
  });

  it("lists at most `limit` entries per section and counts the rest", () => {
    const failed = Array.from({ length: 3 }, (_, i) => ({
      ...SAMPLE_RESULT.failed[0]!,
      changeId: `f${i}`,
      principal: { kind: "user" as const, id: `u${i}`, name: `user${i}@contoso.com` },
    }));
    const text = renderApplyResultText({ ...SAMPLE_RESULT, failed }, { color: false, limit: 2 });
    expect(text).toContain("Failed (3):");
    expect(text).toContain("user1@contoso.com");
    expect(text).not.toContain("user2@contoso.com");
    expect(text).toContain("  ... and 1 more failures; --format json lists them all");
    expect(text).not.toContain("more skipped");
  });

  it("colours only when asked, with the same text underneath", () => {
    const coloured = renderApplyResultText(SAMPLE_RESULT, { color: true });
    expect(coloured).toContain("\u001b[31m");
    expect(stripAnsi(coloured)).toBe(renderApplyResultText(SAMPLE_RESULT, { color: false }));
    expect(renderApplyResultText(SAMPLE_RESULT, { color: false })).not.toContain("\u001b[");
  });
});

describe("renderApplyResultJson", () => {
  it("is a versioned document with a summary and every outcome", () => {
    const document = JSON.parse(renderApplyResultJson(SAMPLE_RESULT)) as Record<string, unknown>;
    expect(document).toMatchObject({
      formatVersion: 1,
      kind: "licensectl/apply-result",
      ok: false,
      summary: {
        applied: 1,
        failed: 1,
        skipped: 1,
        groupMembersWithErrors: 1,
        requests: 3,
        retries: 1,
        throttled: 1,
      },
      failed: SAMPLE_RESULT.failed,
      skipped: SAMPLE_RESULT.skipped,
      applied: SAMPLE_RESULT.applied,
      groupErrors: SAMPLE_RESULT.groupErrors,
      warnings: SAMPLE_RESULT.warnings,
    });
  });

  it("says ok only when nothing failed or was skipped and no member ended in error because of this apply", () => {
    const clean = { ...SAMPLE_RESULT, failed: [], skipped: [], groupErrors: [] };
    expect(JSON.parse(renderApplyResultJson(clean))).toMatchObject({ ok: true });
    expect(JSON.parse(renderApplyResultJson({ ...clean, skipped: SAMPLE_RESULT.skipped }))).toMatchObject({
      ok: false,
    });
    expect(
      JSON.parse(renderApplyResultJson({ ...clean, groupErrors: SAMPLE_RESULT.groupErrors })),
    ).toMatchObject({ ok: false });
    const known = SAMPLE_RESULT.groupErrors.map((e) => ({ ...e, beforeApply: true as const }));
    expect(JSON.parse(renderApplyResultJson({ ...clean, groupErrors: known }))).toMatchObject({ ok: true });
  });
});

describe("describing outcomes", () => {
  it("names a usage location change and its old value", () => {
    expect(describeOutcomeAction(SAMPLE_RESULT.applied[0]!)).toBe("usage location US (was none)");
  });

  it("formats durations at three scales", () => {
    expect([formatDuration(12), formatDuration(1_250), formatDuration(125_000)]).toEqual([
      "12ms",
      "1.3s",
      "2m 05s",
    ]);
  });
});
