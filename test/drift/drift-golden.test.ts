import { describe, expect, it } from "vitest";
import { computeDrift } from "../../src/drift/compute-drift.js";
import { DRIFT_FORMATS, DRIFT_RENDERERS, type DriftFormat } from "../../src/report/drift/index.js";
import { expectGolden } from "../report/golden.js";
import { desiredState, liveState, plan, reference } from "./builders.js";
import { scenario } from "./scenario.js";

/**
 * Every drift format, byte for byte, through the registry the CLI uses:
 * a change to any of them shows in review as a diff of these files
 * (test/report/__golden__/drift-*; UPDATE_GOLDEN=1 rewrites them).
 */

const EXTENSIONS: Readonly<Record<DriftFormat, string>> = {
  text: "txt",
  markdown: "md.txt",
  json: "json.txt",
  html: "html.txt",
};

const typical = computeDrift(scenario());

const { plan: _made, ...inputs } = scenario();
const refused = computeDrift({
  ...inputs,
  toolVersion: "0.0.0-test",
  now: new Date("2026-03-01T09:00:00Z"),
  planProblems: [
    {
      code: "capacity-exceeded",
      severity: "error",
      message: "SPE_E5 needs 7 seats after the plan; 5 are enabled",
      hint: "Buy seats, or remove SPE_E5 from someone in the manifests.",
      location: { file: "manifests/users.yaml", line: 12, column: 9 },
    },
  ],
});

const clean = computeDrift({
  desired: desiredState({ scope: ["ENTERPRISEPACK"] }),
  live: liveState({}),
  plan: plan(),
  reference,
});

describe("drift reports (golden)", () => {
  it.each(DRIFT_FORMATS)("renders a typical report as %s", (format) => {
    expectGolden(`drift-typical.${EXTENSIONS[format]}`, DRIFT_RENDERERS[format](typical, { color: false }));
  });

  it("renders a typical report in colour", () => {
    const coloured = DRIFT_RENDERERS.text(typical, { color: true });
    expect(coloured).toContain("\u001b[");
    expectGolden("drift-typical.color.txt", coloured);
  });

  it.each(["text", "markdown"] as const)("renders a report whose plan was refused as %s", (format) => {
    const rendered = DRIFT_RENDERERS[format](refused, { color: false });
    expect(rendered).toContain("needs 7 seats after the plan; 5 are enabled");
    expectGolden(`drift-refused.${EXTENSIONS[format]}`, rendered);
  });

  it.each(["text", "markdown"] as const)("renders a report without drift as %s", (format) => {
    expect(clean.summary.total).toBe(0);
    expectGolden(`drift-clean.${EXTENSIONS[format]}`, DRIFT_RENDERERS[format](clean, { color: false }));
  });
});
