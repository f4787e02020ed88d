import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  READ_CLIENT_ID,
  WRITE_CONNECTION,
  azureAdoptViolations,
  azurePipelineViolations,
  githubRepositoryViolations,
  githubWorkflowViolations,
} from "./pipeline-policy.js";

/**
 * No shipped template gives a pull-request run a credential that can write,
 * and no template can lose a merge without reporting it. The rules live in
 * pipeline-policy.ts; here they run on every template, and on copies of the
 * templates with one violation planted each, which they must catch.
 */
type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const githubDir = new URL("../../examples/github/", import.meta.url);
const load = (url: URL): Yaml => parse(readFileSync(url, "utf8")) as Yaml;
const workflows = new Map(
  readdirSync(githubDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => [`examples/github/${f}`, load(new URL(f, githubDir))] as const),
);
const azurePath = "examples/azure-devops/azure-pipelines.yml";
const azure = (): Yaml => load(new URL(`../../${azurePath}`, import.meta.url));
const workflow = (name: string): Yaml => structuredClone(workflows.get(`examples/github/${name}`)!);
const withWorkflow = (name: string, changed: Yaml) =>
  new Map([...workflows, [`examples/github/${name}`, changed]]);

describe("shipped pipeline templates", () => {
  it("give pull requests only the read identity and never lose a merge silently (GitHub)", () => {
    expect(workflows.size).toBeGreaterThanOrEqual(4);
    expect(githubRepositoryViolations(workflows)).toEqual([]);
  });

  it("give pull-request builds only the read connection and serialise applies (Azure DevOps)", () => {
    expect(azurePipelineViolations(azurePath, azure())).toEqual([]);
  });

  it("fan a repository of tenants out over parallel jobs with the read identity only, and combine them", () => {
    const tenantsPath = "examples/azure-devops/azure-pipelines-tenants.yml";
    const tenants = load(new URL(`../../${tenantsPath}`, import.meta.url));
    expect(azurePipelineViolations(tenantsPath, tenants)).toEqual([]);
    expect(JSON.stringify(tenants)).not.toContain("licensectl-write");
    const text = JSON.stringify(tenants);
    expect(text).toContain("licensectl plan --shard");
    expect(text).toContain("--expect-tenants tenants --detailed-exitcode");

    const github = workflow("licensectl-plan-tenants.yml");
    expect(githubWorkflowViolations("plan-tenants", github)).toEqual([]);
    expect(github.jobs.plan.strategy.matrix.shard).toHaveLength(4);
    expect(github.jobs.plan.strategy["fail-fast"]).toBe(false);
    expect(github.jobs.combine.needs).toBe("plan");
    expect(github.jobs.combine.if).toBe("always()");
    const combine = (github.jobs.combine.steps as Yaml[]).find((step) => step.with?.command === "combine");
    expect(combine?.with.args).toContain("--expect-tenants tenants");
    // A planted write identity in a shard job is caught.
    github.jobs.plan.env.AZURE_CLIENT_ID = "${{ vars.LICENSECTL_WRITE_CLIENT_ID }}";
    expect(githubWorkflowViolations("plan-tenants", github).join("\n")).toContain(
      "can read LICENSECTL_WRITE_CLIENT_ID",
    );
  });

  it("use the write identity in exactly one job, the apply job", () => {
    const writers = [...workflows].flatMap(([file, wf]) =>
      Object.entries(wf.jobs as Yaml)
        .filter(([, job]) => JSON.stringify(job).includes("LICENSECTL_WRITE_CLIENT_ID"))
        .map(([id, job]) => `${file}:${id}:${(job as Yaml).environment}`),
    );
    expect(writers).toEqual(["examples/github/licensectl-apply.yml:apply:licenses"]);
  });
});

describe("the policy catches planted violations", () => {
  it("the licenses environment in a pull-request job", () => {
    const plan = workflow("licensectl-plan.yml");
    plan.jobs.plan.environment = "licenses";
    expect(githubWorkflowViolations("plan", plan)).toContain(
      "plan: job plan runs on pull_request and uses the licenses environment (the write identity)",
    );
  });

  it("the write client id in a pull-request job, at job or workflow level", () => {
    const plan = workflow("licensectl-plan.yml");
    plan.jobs.plan.env.AZURE_CLIENT_ID = "${{ vars.LICENSECTL_WRITE_CLIENT_ID }}";
    const found = githubWorkflowViolations("plan", plan);
    expect(found).toContain("plan: job plan runs on pull_request and can read LICENSECTL_WRITE_CLIENT_ID");
    expect(found.join("\n")).toMatch(/with id-token: write but signs in as .*LICENSECTL_WRITE_CLIENT_ID/);

    const validate = workflow("licensectl-validate.yml");
    validate.env = { AZURE_CLIENT_ID: "${{ vars.LICENSECTL_WRITE_CLIENT_ID }}" };
    expect(githubWorkflowViolations("validate", validate).join("\n")).toContain(
      "can read LICENSECTL_WRITE_CLIENT_ID",
    );
  });

  it("id-token: write with an unnamed or other app, and on pull_request_target", () => {
    const plan = workflow("licensectl-plan.yml");
    delete plan.jobs.plan.env.AZURE_CLIENT_ID;
    expect(githubWorkflowViolations("plan", plan).join("\n")).toContain("signs in as an unnamed app");

    const login = workflow("licensectl-plan.yml");
    login.jobs.plan.steps.splice(1, 0, {
      uses: "azure/login@v2",
      with: { "client-id": "${{ secrets.APP }}" },
    });
    expect(githubWorkflowViolations("plan", login).join("\n")).toContain("${{ secrets.APP }}");

    const target = workflow("licensectl-plan.yml");
    target.on = { pull_request_target: { branches: ["main"] } };
    expect(githubWorkflowViolations("plan", target)).toContain(
      "plan: job plan runs on pull_request_target with id-token: write",
    );
    expect(githubWorkflowViolations("plan", workflow("licensectl-plan.yml"))).toEqual([]);
    expect(READ_CLIENT_ID).toBe(
      workflows.get("examples/github/licensectl-plan.yml")!.jobs.plan.env.AZURE_CLIENT_ID,
    );
  });

  it("an apply reachable from a pull request, another branch, or outside the environment", () => {
    const prApply = workflow("licensectl-apply.yml");
    prApply.on.pull_request = { branches: ["main"] };
    const found = githubWorkflowViolations("apply", prApply);
    expect(found).toContain(
      "apply: job apply runs on pull_request and uses the licenses environment (the write identity)",
    );
    expect(found).toContain("apply: job apply uses the write identity and runs on pull_request");

    const branch = workflow("licensectl-apply.yml");
    branch.on.push.branches = ["main", "release/*"];
    expect(githubWorkflowViolations("apply", branch)).toContain(
      "apply: job apply uses the write identity on pushes to branches other than main",
    );

    const noEnvironment = workflow("licensectl-apply.yml");
    delete noEnvironment.jobs.apply.environment;
    expect(githubWorkflowViolations("apply", noEnvironment)).toContain(
      "apply: job apply uses the write identity outside the licenses environment",
    );
  });

  it("cancellable or overlapping applies", () => {
    const cancel = workflow("licensectl-apply.yml");
    cancel.concurrency["cancel-in-progress"] = true;
    expect(githubWorkflowViolations("apply", cancel)).toContain(
      "apply does not set cancel-in-progress: false: a running apply could be cancelled",
    );

    const perCommit = workflow("licensectl-apply.yml");
    perCommit.concurrency.group = "licensectl-apply-${{ github.sha }}";
    expect(githubWorkflowViolations("apply", perCommit).join("\n")).toContain("two applies could overlap");

    const jobLevel = workflow("licensectl-apply.yml");
    jobLevel.jobs.apply.concurrency = { group: "x", "cancel-in-progress": true };
    expect(githubWorkflowViolations("apply", jobLevel)).toContain(
      "apply: job apply has its own concurrency group that may cancel",
    );
  });

  it("no check after apply, none at night, no manual re-plan", () => {
    const noVerify = workflow("licensectl-apply.yml");
    delete noVerify.jobs.verify;
    expect(githubWorkflowViolations("apply", noVerify).join("\n")).toContain(
      "a merge whose run was cancelled while pending would go unnoticed",
    );

    const verifyOnSuccessOnly = workflow("licensectl-apply.yml");
    verifyOnSuccessOnly.jobs.verify.if = "success()";
    expect(githubWorkflowViolations("apply", verifyOnSuccessOnly).join("\n")).toContain("would go unnoticed");

    const noDispatch = workflow("licensectl-apply.yml");
    delete noDispatch.on.workflow_dispatch;
    expect(githubWorkflowViolations("apply", noDispatch).join("\n")).toContain("has no workflow_dispatch");

    const drift = workflow("licensectl-drift.yml");
    drift.jobs.drift.steps = drift.jobs.drift.steps.filter((s: Yaml) => s.id !== "pending");
    expect(githubRepositoryViolations(withWorkflow("licensectl-drift.yml", drift))).toContain(
      "no scheduled workflow runs plan --detailed-exitcode: unapplied merges are never reported",
    );
  });

  it("Azure DevOps: the write connection in the plan stage, or apply without main, batching or verification", () => {
    const plan = azure();
    plan.stages[0].jobs[0].steps[3].inputs.azureSubscription = WRITE_CONNECTION;
    plan.stages[0].jobs[0].steps[3].env.AZURE_SERVICE_CONNECTION_ID = "$(LICENSECTL_WRITE_CONNECTION_ID)";
    expect(azurePipelineViolations("p", plan)).toContain(
      "p: stage Plan can run in a pull-request build and uses the write identity",
    );

    const mixed = azure();
    mixed.stages[1].jobs[0].strategy.runOnce.deploy.steps[4].env.AZURE_SERVICE_CONNECTION_ID =
      "$(LICENSECTL_READ_CONNECTION_ID)";
    expect(azurePipelineViolations("p", mixed)).toContain(
      "p: stage Apply uses licensectl-write with AZURE_SERVICE_CONNECTION_ID $(LICENSECTL_READ_CONNECTION_ID)",
    );

    const anyBranch = azure();
    anyBranch.stages[1].condition = "succeeded()";
    const found = azurePipelineViolations("p", anyBranch);
    expect(found).toContain("p: stage Apply can run in a pull-request build and uses the write identity");
    expect(found).toContain("p: stage Apply uses the write identity without requiring refs/heads/main");

    const unbatched = azure();
    unbatched.trigger.batch = false;
    expect(azurePipelineViolations("p", unbatched).join("\n")).toContain("trigger.batch is not true");

    const noVerify = azure();
    noVerify.stages = noVerify.stages.filter((s: Yaml) => s.stage !== "Verify");
    expect(azurePipelineViolations("p", noVerify)).toContain(
      "p: stage Apply is not followed by a stage that always re-plans main with --detailed-exitcode",
    );
  });
});

describe("the adoption workflow", () => {
  it("reads the tenant with the read app only, and opens its pull request without an Entra token", () => {
    const adopt = workflow("licensectl-adopt.yml");
    expect(githubWorkflowViolations("adopt", adopt)).toEqual([]);
    expect(adopt.jobs.adopt.env.AZURE_CLIENT_ID).toBe(READ_CLIENT_ID);
    expect(adopt.jobs.adopt.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(adopt.jobs["pull-request"].permissions).toEqual({ contents: "write", "pull-requests": "write" });
  });

  it("catches the write identity, repository write or a pull-request trigger where adopt runs", () => {
    const writer = workflow("licensectl-adopt.yml");
    writer.jobs.adopt.env.AZURE_CLIENT_ID = "${{ vars.LICENSECTL_WRITE_CLIENT_ID }}";
    const found = githubWorkflowViolations("adopt", writer);
    expect(found).toContain(
      "adopt: job adopt runs licensectl adopt with the write identity: adoption only reads the tenant",
    );
    expect(found.join("\n")).toContain(
      "runs licensectl adopt signing in as ${{ vars.LICENSECTL_WRITE_CLIENT_ID }}",
    );

    const pushing = workflow("licensectl-adopt.yml");
    pushing.jobs.adopt.permissions.contents = "write";
    expect(githubWorkflowViolations("adopt", pushing)).toContain(
      "adopt: job adopt runs licensectl adopt with contents: write: the job that reads the tenant must not push",
    );

    const fromPr = workflow("licensectl-adopt.yml");
    fromPr.on = { pull_request: { branches: ["main"] } };
    expect(githubWorkflowViolations("adopt", fromPr)).toContain(
      "adopt: job adopt runs licensectl adopt on pull_request",
    );
  });

  it("catches an Entra token or a moving tag where the pull request is opened", () => {
    const token = workflow("licensectl-adopt.yml");
    token.jobs["pull-request"].permissions["id-token"] = "write";
    expect(githubWorkflowViolations("adopt", token).join("\n")).toContain(
      "adopt: job pull-request opens a pull request with id-token: write",
    );

    const tag = workflow("licensectl-adopt.yml");
    const step = tag.jobs["pull-request"].steps.find((s: Yaml) =>
      String(s.uses).includes("create-pull-request"),
    );
    step.uses = "peter-evans/create-pull-request@v8";
    expect(githubWorkflowViolations("adopt", tag)).toContain(
      "adopt: job pull-request uses peter-evans/create-pull-request@v8, not pinned to a commit SHA",
    );
  });
});

describe("the Azure DevOps adoption pipeline", () => {
  const adoptPath = "examples/azure-devops/licensectl-adopt.yml";
  const adopt = (): Yaml => load(new URL(`../../${adoptPath}`, import.meta.url));

  it("runs on its schedule only, reads through licensectl-read, and pushes from a job without a connection", () => {
    expect(azureAdoptViolations(adoptPath, adopt())).toEqual([]);
    // The rules of the main pipeline hold too for what they cover: no write connection anywhere.
    expect(JSON.stringify(adopt())).not.toContain(WRITE_CONNECTION);
  });

  it("catches the write connection, a pull-request trigger, or a push next to the sign-in", () => {
    const writer = adopt();
    writer.stages[0].jobs[0].steps[3].inputs.azureSubscription = WRITE_CONNECTION;
    expect(azureAdoptViolations("a", writer)).toContain(
      "a: job adopt uses the write connection: adoption only reads the tenant",
    );

    const fromPr = adopt();
    fromPr.pr = { branches: { include: ["main"] } };
    expect(azureAdoptViolations("a", fromPr)).toContain(
      "a: pr is not none: a pull request could run adoption",
    );

    const together = adopt();
    together.stages[0].jobs[0].steps.push(...together.stages[0].jobs[1].steps);
    expect(azureAdoptViolations("a", together)).toContain(
      "a: job adopt pushes or opens a pull request in the job that signs in to Graph",
    );
  });
});
