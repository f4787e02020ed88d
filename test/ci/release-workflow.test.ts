import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { releaseWorkflowViolations } from "./release-policy.js";

/**
 * The workflow that publishes licensectl to npm keeps its rules
 * (release-policy.ts), and the rules catch each violation planted in a copy.
 * CI also builds the container image and runs it.
 */
type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const FILE = ".github/workflows/release.yml";
const release = (): Yaml => parse(read(FILE)) as Yaml;

describe("the release workflow", () => {
  it("publishes with provenance through OIDC, least privilege, actions pinned to commits", () => {
    expect(releaseWorkflowViolations(FILE, release())).toEqual([]);
  });

  it("publishes only what changesets versioned, and only once", () => {
    const workflow = release();
    expect(workflow.jobs.publish.needs).toBe("version");
    expect(workflow.jobs.publish.if).toContain("needs.version.outputs.pending == 'false'");
    const script = workflow.jobs.publish.steps.map((s: Yaml) => s.run ?? "").join("\n");
    expect(script).toMatch(/npm view "licensectl@\$version" version/);
    expect(script).toMatch(/npm test/);
    // Tests run, and npm is written to, only for a version npm does not have yet.
    const publishStep = workflow.jobs.publish.steps.find((s: Yaml) => s.id === "publish");
    expect(publishStep.if).toBe("steps.check.outputs.needed == 'true'");
  });

  it.each([
    ["runs for pull requests", (w: Yaml) => (w.on.pull_request = {}), /runs on pull_request/],
    [
      "grants by default",
      (w: Yaml) => (w.permissions = { contents: "write" }),
      /grants permissions by default/,
    ],
    [
      "hands the OIDC token to a job that does not publish",
      (w: Yaml) => (w.jobs.version.permissions["id-token"] = "write"),
      /job version gets id-token: write without publishing/,
    ],
    [
      "lets the publishing job write the repository",
      (w: Yaml) => (w.jobs.publish.permissions.contents = "write"),
      /job publish publishes and can also write contents/,
    ],
    [
      "publishes without provenance",
      (w: Yaml) => {
        const step = w.jobs.publish.steps.find((s: Yaml) => String(s.run ?? "").includes("npm publish"));
        step.run = step.run.replace("--provenance ", "");
      },
      /without --provenance/,
    ],
    [
      "pins an action to a tag",
      (w: Yaml) => (w.jobs.tag.steps[0].uses = "actions/checkout@v4"),
      /job tag uses actions\/checkout@v4, not pinned/,
    ],
  ])("is refused when it %s", (_, plant, expected) => {
    const workflow = release();
    plant(workflow);
    expect(releaseWorkflowViolations(FILE, workflow).join("\n")).toMatch(expected);
  });
});

describe("the container image", () => {
  it("is built from a multi-stage Dockerfile on a slim Node LTS image and runs licensectl as a non-root user", () => {
    const dockerfile = read("Dockerfile");
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(22|24)-[a-z]+-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["licensectl"\]$/m);
    // Only what the build needs is sent to it: no node_modules, .git or dist from the working copy.
    expect(read(".dockerignore").split("\n")).toEqual(
      expect.arrayContaining(["*", "!src", "!package-lock.json"]),
    );
  });

  it("is built and run in CI: --version, not root, and a validation of the examples", () => {
    const ci = parse(read(".github/workflows/ci.yml")) as Yaml;
    const script = ci.jobs.container.steps.map((s: Yaml) => s.run ?? "").join("\n");
    expect(script).toMatch(/docker build .*--tag licensectl:ci \./);
    expect(script).toMatch(/docker run --rm licensectl:ci --version/);
    expect(script).toMatch(/--entrypoint id licensectl:ci -u/);
    expect(script).toMatch(/licensectl:ci validate manifests/);
  });
});
