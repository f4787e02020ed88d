import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * No linter for Azure Pipelines YAML installs from the npm registry without
 * a service connection, so this holds the example to what docs/ci.md
 * promises: workload identity federation only, and the three stages.
 */
interface Step {
  task?: string;
  script?: string;
  inputs?: Record<string, unknown>;
}
interface Stage {
  stage: string;
  condition?: string;
  jobs: {
    job?: string;
    deployment?: string;
    environment?: string;
    steps?: Step[];
    strategy?: { runOnce: { deploy: { steps: Step[] } } };
  }[];
}

const text = readFileSync(
  new URL("../../examples/azure-devops/azure-pipelines.yml", import.meta.url),
  "utf8",
);
const pipeline = parse(text) as { stages: Stage[] };
const stepsOf = (stage: Stage): Step[] =>
  stage.jobs.flatMap((job) => job.steps ?? job.strategy?.runOnce.deploy.steps ?? []);
const stage = (name: string): Stage => {
  const found = pipeline.stages.find((s) => s.stage === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};

describe("examples/azure-devops/azure-pipelines.yml", () => {
  it("has plan, apply and drift stages", () => {
    expect(pipeline.stages.map((s) => s.stage)).toEqual(["Plan", "Apply", "Drift"]);
  });

  it("signs in only through workload identity federation, never with a secret", () => {
    expect(text).not.toMatch(/CLIENT_SECRET|client-secret|\$\(\w*[Ss]ecret\w*\)/);
    const azureCli = pipeline.stages.flatMap(stepsOf).filter((s) => s.task === "AzureCLI@2");
    expect(azureCli).toHaveLength(3);
    for (const step of azureCli) {
      expect(step.inputs?.addSpnToEnvironment).toBe(true);
      expect(String(step.inputs?.inlineScript)).toContain("--auth workload-identity");
      expect(String(step.inputs?.inlineScript)).toContain('AZURE_FEDERATED_TOKEN_FILE="$token_file"');
    }
  });

  it("applies the saved plan behind an environment, and reports drift with --detailed-exitcode", () => {
    const apply = stage("Apply");
    expect(apply.jobs[0]?.environment).toBe("licenses");
    expect(JSON.stringify(stepsOf(apply))).toContain(
      'licensectl apply \\"$(Pipeline.Workspace)/licensectl-plan/plan.json\\"',
    );
    const drift = JSON.stringify(stepsOf(stage("Drift")));
    expect(drift).toContain("--format html");
    expect(drift).toContain("--detailed-exitcode");
    expect(stage("Drift").condition).toContain("Schedule");
  });
});
