import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * No linter for Azure Pipelines YAML installs from the npm registry without
 * a service connection, so this holds the example to what docs/ci.md
 * promises: workload identity federation only, through
 * AzurePipelinesCredential, and the four stages. Which stage may use which
 * identity is checked by pipeline-identities.test.ts.
 */
interface Step {
  task?: string;
  script?: string;
  inputs?: Record<string, unknown>;
  env?: Record<string, string>;
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
  it("has plan, apply, verify and drift stages", () => {
    expect(pipeline.stages.map((s) => s.stage)).toEqual(["Plan", "Apply", "Verify", "Drift"]);
  });

  it("signs in only through workload identity federation, with tokens Azure DevOps renews", () => {
    expect(text).not.toMatch(/CLIENT_SECRET|client-secret|\$\(\w*[Ss]ecret\w*\)/);
    // The idToken of AzureCLI@2 expires after minutes and is never renewed: not used.
    const code = text.replace(/^\s*#.*$/gm, "");
    expect(code).not.toMatch(/idToken|AZURE_FEDERATED_TOKEN_FILE/);
    const azureCli = pipeline.stages.flatMap(stepsOf).filter((s) => s.task === "AzureCLI@2");
    expect(azureCli).toHaveLength(4);
    for (const step of azureCli) {
      expect(step.inputs?.addSpnToEnvironment).toBe(true);
      const script = String(step.inputs?.inlineScript);
      for (const command of script.match(/licensectl (plan|apply|drift)\b[^\n]*(\\\n[^\n]*)*/g) ?? []) {
        expect(command).toContain("--auth azure-pipelines");
      }
      expect(script).toContain('AZURE_CLIENT_ID="$servicePrincipalId" AZURE_TENANT_ID="$tenantId"');
      expect(step.env?.SYSTEM_ACCESSTOKEN).toBe("$(System.AccessToken)");
      expect(step.env?.AZURE_SERVICE_CONNECTION_ID).toMatch(/^\$\(LICENSECTL_(READ|WRITE)_CONNECTION_ID\)$/);
    }
  });

  it("plans pull requests with a trigger Azure Repos ignores, so docs/ci.md asks for Build Validation", () => {
    const docs = readFileSync(new URL("../../docs/ci.md", import.meta.url), "utf8");
    expect(text).toContain("Azure Repos ignores the `pr:` section");
    expect(docs).toContain("Build Validation");
  });

  it("applies the saved plan behind an environment, and reports drift with --detailed-exitcode", () => {
    const apply = stage("Apply");
    expect(apply.jobs[0]?.environment).toBe("licenses");
    const applyText = JSON.stringify(stepsOf(apply));
    expect(applyText).toContain('licensectl apply \\"$(Pipeline.Workspace)/licensectl-plan/plan.json\\"');
    // The plan file records its manifests; the journal keeps one line per write.
    expect(applyText).not.toMatch(/licensectl apply[^"]*-m /);
    expect(applyText).toContain("--journal");
    const drift = JSON.stringify(stepsOf(stage("Drift")));
    expect(drift).toContain("--format html");
    expect(drift).toContain("--detailed-exitcode");
    expect(stage("Drift").condition).toContain("Schedule");
  });
});
