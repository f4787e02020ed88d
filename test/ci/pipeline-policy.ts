/**
 * The identity and ordering rules every shipped pipeline template must keep,
 * as pure functions over parsed YAML, so that the rules themselves can be
 * tested against planted violations. Each returns the violations it found,
 * in words a reviewer can act on; an empty list means the template passes.
 *
 * The rules (docs/ci.md, SECURITY.md):
 * - a run started by a pull request (pull_request, pull_request_target, PR
 *   builds) can reach only the read identity: no `licenses` environment, no
 *   write client id or service connection, `id-token: write` only next to
 *   the read client id; pull_request_target never gets `id-token: write`;
 * - the write identity is used only in the `licenses` environment, from
 *   main (push to main, or a manual run), in a workflow whose applies are
 *   never cancelled (one constant concurrency group, cancel-in-progress
 *   false) and whose every run ends by checking main's manifests against the
 *   tenant (`plan --detailed-exitcode`), so a merge whose own run GitHub
 *   cancelled while pending is reported, never lost silently;
 * - a scheduled job checks the same every night;
 * - `licensectl adopt` only reads the tenant: its job signs in with the read
 *   identity at most, never runs for a pull request, and cannot push; the
 *   job that opens the adoption's pull request (create-pull-request, pinned
 *   by commit SHA) holds contents/pull-requests write and no id-token.
 */

type Yaml = Record<string, unknown>;

export const READ_CLIENT_ID = "${{ vars.LICENSECTL_READ_CLIENT_ID }}";
const WRITE_CLIENT_VAR = "LICENSECTL_WRITE_CLIENT_ID";
const WRITE_ENVIRONMENT = "licenses";
const PR_EVENTS = ["pull_request", "pull_request_target"];

const isObject = (value: unknown): value is Yaml =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The events of a workflow's `on:` (string, list or map). */
export function workflowEvents(workflow: Yaml): string[] {
  const on = workflow.on ?? workflow.true; // YAML 1.1 readers may turn `on` into true
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return isObject(on) ? Object.keys(on) : [];
}

function environmentName(job: Yaml): string | undefined {
  const env = job.environment;
  if (typeof env === "string") return env;
  if (isObject(env) && typeof env.name === "string") return env.name;
  return undefined;
}

function grantsIdToken(permissions: unknown): boolean {
  if (permissions === "write-all") return true;
  return isObject(permissions) && permissions["id-token"] === "write";
}

function jobs(workflow: Yaml): [string, Yaml][] {
  return isObject(workflow.jobs)
    ? Object.entries(workflow.jobs).filter((e): e is [string, Yaml] => isObject(e[1]))
    : [];
}

function steps(job: Yaml): Yaml[] {
  return Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
}

/** Every client id a job would sign in with: AZURE_CLIENT_ID at job or workflow level, and azure/login inputs. */
function clientIds(workflow: Yaml, job: Yaml): string[] {
  const ids: string[] = [];
  const jobEnv = isObject(job.env) ? job.env : {};
  const workflowEnv = isObject(workflow.env) ? workflow.env : {};
  const top = jobEnv.AZURE_CLIENT_ID ?? workflowEnv.AZURE_CLIENT_ID;
  if (top !== undefined) ids.push(String(top));
  for (const step of steps(job)) {
    if (isObject(step.env) && step.env.AZURE_CLIENT_ID !== undefined)
      ids.push(String(step.env.AZURE_CLIENT_ID));
    if (isObject(step.with) && step.with["client-id"] !== undefined) ids.push(String(step.with["client-id"]));
  }
  return ids;
}

function usesWriteIdentity(workflow: Yaml, job: Yaml): boolean {
  return (
    environmentName(job)?.toLowerCase().includes(WRITE_ENVIRONMENT) === true ||
    JSON.stringify(job).includes(WRITE_CLIENT_VAR) ||
    clientIds(workflow, job).some((id) => id.includes(WRITE_CLIENT_VAR))
  );
}

function runsPlanWithDetailedExitcode(job: Yaml): boolean {
  return steps(job).some((step) => {
    const withs = isObject(step.with) ? step.with : {};
    const viaAction = withs.command === "plan" && String(withs.args ?? "").includes("--detailed-exitcode");
    const viaScript = /licensectl\s+plan\b[^\n]*--detailed-exitcode/.test(String(step.run ?? ""));
    return viaAction || viaScript;
  });
}

const PULL_REQUEST_ACTION = "peter-evans/create-pull-request";

function runsAdopt(job: Yaml): boolean {
  return steps(job).some((step) => {
    const withs = isObject(step.with) ? step.with : {};
    // A command line that runs it, not a mention in a message.
    return withs.command === "adopt" || /^\s*(npx\s+)?licensectl\s+adopt\b/m.test(String(step.run ?? ""));
  });
}

function grants(permissions: unknown, scope: string): boolean {
  return permissions === "write-all" || (isObject(permissions) && permissions[scope] === "write");
}

/** The adoption rules: read identity only where adopt runs; no Entra token where the pull request is opened. */
function adoptViolations(file: string, workflow: Yaml): string[] {
  const out: string[] = [];
  const events = workflowEvents(workflow);
  for (const [id, job] of jobs(workflow)) {
    const where = `${file}: job ${id}`;
    const permissions = job.permissions ?? workflow.permissions;
    if (runsAdopt(job)) {
      if (usesWriteIdentity(workflow, job))
        out.push(`${where} runs licensectl adopt with the write identity: adoption only reads the tenant`);
      const ids = clientIds(workflow, job);
      if (grantsIdToken(permissions) && (ids.length === 0 || ids.some((cid) => cid !== READ_CLIENT_ID)))
        out.push(
          `${where} runs licensectl adopt signing in as ${ids.join(", ") || "an unnamed app"}, not ${READ_CLIENT_ID}`,
        );
      for (const scope of ["contents", "pull-requests"])
        if (grants(permissions, scope))
          out.push(
            `${where} runs licensectl adopt with ${scope}: write: the job that reads the tenant must not push`,
          );
      const fromPullRequests = events.filter((e) => PR_EVENTS.includes(e));
      if (fromPullRequests.length > 0)
        out.push(`${where} runs licensectl adopt on ${fromPullRequests.join("/")}`);
    }
    for (const step of steps(job)) {
      const uses = String(step.uses ?? "");
      if (!uses.startsWith(`${PULL_REQUEST_ACTION}@`)) continue;
      if (!/@[0-9a-f]{40}$/.test(uses)) out.push(`${where} uses ${uses}, not pinned to a commit SHA`);
      if (grantsIdToken(permissions))
        out.push(
          `${where} opens a pull request with id-token: write: no Entra sign-in where ${PULL_REQUEST_ACTION} runs`,
        );
    }
  }
  return out;
}

/** Violations of one GitHub workflow, named `file`. */
export function githubWorkflowViolations(file: string, workflow: Yaml): string[] {
  const out: string[] = adoptViolations(file, workflow);
  const events = workflowEvents(workflow);
  const fromPullRequests = events.filter((e) => PR_EVENTS.includes(e));
  const workflowEnvText = JSON.stringify(workflow.env ?? {});

  for (const [id, job] of jobs(workflow)) {
    const where = `${file}: job ${id}`;
    const permissions = job.permissions ?? workflow.permissions;
    const idToken = grantsIdToken(permissions);
    if (fromPullRequests.length > 0) {
      const event = fromPullRequests.join("/");
      if (environmentName(job)?.toLowerCase().includes(WRITE_ENVIRONMENT))
        out.push(
          `${where} runs on ${event} and uses the ${WRITE_ENVIRONMENT} environment (the write identity)`,
        );
      if (JSON.stringify(job).includes(WRITE_CLIENT_VAR) || workflowEnvText.includes(WRITE_CLIENT_VAR))
        out.push(`${where} runs on ${event} and can read ${WRITE_CLIENT_VAR}`);
      if (idToken && fromPullRequests.includes("pull_request_target"))
        out.push(`${where} runs on pull_request_target with id-token: write`);
      if (idToken) {
        const ids = clientIds(workflow, job);
        if (ids.length === 0 || ids.some((cid) => cid !== READ_CLIENT_ID))
          out.push(
            `${where} runs on ${event} with id-token: write but signs in as ${ids.join(", ") || "an unnamed app"}, not ${READ_CLIENT_ID}`,
          );
      }
    }

    if (!usesWriteIdentity(workflow, job)) continue;
    if (environmentName(job) !== WRITE_ENVIRONMENT)
      out.push(`${where} uses the write identity outside the ${WRITE_ENVIRONMENT} environment`);
    const unexpected = events.filter((e) => e !== "push" && e !== "workflow_dispatch");
    if (unexpected.length > 0)
      out.push(`${where} uses the write identity and runs on ${unexpected.join(", ")}`);
    const on = workflow.on;
    const push = isObject(on) && isObject(on.push) ? on.push : undefined;
    if (events.includes("push") && JSON.stringify(push?.branches) !== JSON.stringify(["main"]))
      out.push(`${where} uses the write identity on pushes to branches other than main`);
    if (!events.includes("workflow_dispatch"))
      out.push(
        `${file} has no workflow_dispatch: a stale or cancelled apply cannot be re-planned and approved`,
      );

    const concurrency = workflow.concurrency;
    if (!isObject(concurrency) || typeof concurrency.group !== "string" || concurrency.group.includes("${{"))
      out.push(`${file} applies without one constant workflow concurrency group: two applies could overlap`);
    else if (concurrency["cancel-in-progress"] !== false)
      out.push(`${file} does not set cancel-in-progress: false: a running apply could be cancelled`);
    for (const [otherId, other] of jobs(workflow)) {
      if (isObject(other.concurrency) && other.concurrency["cancel-in-progress"] !== false)
        out.push(`${file}: job ${otherId} has its own concurrency group that may cancel`);
    }

    const verifier = jobs(workflow).find(([, other]) => {
      const needs = Array.isArray(other.needs) ? other.needs : [other.needs];
      const condition = String(other.if ?? "");
      return (
        needs.includes(id) &&
        /!cancelled\(\)|always\(\)/.test(condition) &&
        !usesWriteIdentity(workflow, other) &&
        runsPlanWithDetailedExitcode(other)
      );
    });
    if (verifier === undefined)
      out.push(
        `${where} is not followed by a job that always re-plans main with --detailed-exitcode (read identity): a merge whose run was cancelled while pending would go unnoticed`,
      );
  }
  return out;
}

/** Violations across all workflows: a scheduled job must report merges that were never applied. */
export function githubRepositoryViolations(workflows: ReadonlyMap<string, Yaml>): string[] {
  const out = [...workflows].flatMap(([file, workflow]) => githubWorkflowViolations(file, workflow));
  const nightly = [...workflows.values()].some(
    (workflow) =>
      workflowEvents(workflow).includes("schedule") &&
      jobs(workflow).some(([, job]) => runsPlanWithDetailedExitcode(job)),
  );
  if (!nightly)
    out.push("no scheduled workflow runs plan --detailed-exitcode: unapplied merges are never reported");
  return out;
}

// ---- Azure Pipelines ------------------------------------------------------------------------

export const READ_CONNECTION = "licensectl-read";
export const WRITE_CONNECTION = "licensectl-write";
const WRITE_CONNECTION_ID = "$(LICENSECTL_WRITE_CONNECTION_ID)";
const READ_CONNECTION_ID = "$(LICENSECTL_READ_CONNECTION_ID)";

function stageSteps(stage: Yaml): Yaml[] {
  const stageJobs = Array.isArray(stage.jobs) ? stage.jobs.filter(isObject) : [];
  return stageJobs.flatMap((job) => {
    if (Array.isArray(job.steps)) return job.steps.filter(isObject);
    const strategy = isObject(job.strategy) ? job.strategy : {};
    const runOnce = isObject(strategy.runOnce) ? strategy.runOnce : {};
    const deploy = isObject(runOnce.deploy) ? runOnce.deploy : {};
    return Array.isArray(deploy.steps) ? deploy.steps.filter(isObject) : [];
  });
}

/** A stage a pull-request build can run: its condition does not exclude PR builds. */
function reachableFromPullRequests(stage: Yaml): boolean {
  const condition = String(stage.condition ?? "").replace(/\s+/g, " ");
  return !(
    condition.includes("ne(variables['Build.Reason'], 'PullRequest')") ||
    /^eq\(variables\['Build.Reason'\], 'Schedule'\)$/.test(condition.trim())
  );
}

/** Violations of an Azure Pipelines definition. */
export function azurePipelineViolations(file: string, pipeline: Yaml): string[] {
  const out: string[] = [];
  const stages = Array.isArray(pipeline.stages) ? pipeline.stages.filter(isObject) : [];
  const trigger = isObject(pipeline.trigger) ? pipeline.trigger : {};
  if (trigger.batch !== true)
    out.push(`${file}: trigger.batch is not true: two runs of main could apply at the same time`);

  for (const stage of stages) {
    const where = `${file}: stage ${String(stage.stage)}`;
    const text = JSON.stringify(stage);
    const stageJobs = Array.isArray(stage.jobs) ? stage.jobs.filter(isObject) : [];
    const usesWrite =
      text.includes(WRITE_CONNECTION) ||
      text.includes("LICENSECTL_WRITE_CONNECTION_ID") ||
      stageJobs.some((job) => String(job.environment ?? "").includes(WRITE_ENVIRONMENT));
    for (const step of stageSteps(stage)) {
      const inputs = isObject(step.inputs) ? step.inputs : {};
      const env = isObject(step.env) ? step.env : {};
      if (inputs.azureSubscription === undefined && env.AZURE_SERVICE_CONNECTION_ID === undefined) continue;
      const connection = String(inputs.azureSubscription);
      const expected = connection === WRITE_CONNECTION ? WRITE_CONNECTION_ID : READ_CONNECTION_ID;
      if (connection !== READ_CONNECTION && connection !== WRITE_CONNECTION)
        out.push(
          `${where} signs in with service connection ${connection}, neither ${READ_CONNECTION} nor ${WRITE_CONNECTION}`,
        );
      if (env.AZURE_SERVICE_CONNECTION_ID !== expected)
        out.push(
          `${where} uses ${connection} with AZURE_SERVICE_CONNECTION_ID ${String(env.AZURE_SERVICE_CONNECTION_ID)}`,
        );
    }
    if (!usesWrite) continue;
    if (reachableFromPullRequests(stage))
      out.push(`${where} can run in a pull-request build and uses the write identity`);
    const condition = String(stage.condition ?? "");
    if (!condition.includes("eq(variables['Build.SourceBranch'], 'refs/heads/main')"))
      out.push(`${where} uses the write identity without requiring refs/heads/main`);
    if (!stageJobs.every((job) => job.deployment !== undefined && job.environment === WRITE_ENVIRONMENT))
      out.push(
        `${where} uses the write identity outside a deployment job of the ${WRITE_ENVIRONMENT} environment`,
      );

    const verify = stages.find((other) => {
      const dependsOn = Array.isArray(other.dependsOn) ? other.dependsOn : [other.dependsOn];
      const otherText = JSON.stringify(other);
      return (
        dependsOn.includes(stage.stage) &&
        String(other.condition ?? "").includes("not(canceled())") &&
        !otherText.includes(WRITE_CONNECTION) &&
        /licensectl plan [^"]*--detailed-exitcode/.test(otherText)
      );
    });
    if (verify === undefined)
      out.push(`${where} is not followed by a stage that always re-plans main with --detailed-exitcode`);
  }
  const nightly = stages.some(
    (stage) =>
      String(stage.condition ?? "").includes("'Schedule'") &&
      /licensectl plan [^"]*--detailed-exitcode/.test(JSON.stringify(stage)),
  );
  if (!nightly)
    out.push(
      `${file}: no scheduled stage runs plan --detailed-exitcode: unapplied merges are never reported`,
    );
  return out;
}

/**
 * Violations of an Azure Pipelines adoption pipeline: it runs only on its
 * schedule or by hand, signs in only through the read connection, and the
 * job that pushes the branch and opens the pull request has no connection.
 */
export function azureAdoptViolations(file: string, pipeline: Yaml): string[] {
  const out: string[] = [];
  if (pipeline.trigger !== "none")
    out.push(`${file}: trigger is not none: adoption runs on its schedule only`);
  if (pipeline.pr !== "none") out.push(`${file}: pr is not none: a pull request could run adoption`);
  const stages = Array.isArray(pipeline.stages) ? pipeline.stages.filter(isObject) : [];
  for (const stage of stages) {
    const stageJobs = Array.isArray(stage.jobs) ? stage.jobs.filter(isObject) : [];
    for (const job of stageJobs) {
      const where = `${file}: job ${String(job.job ?? job.deployment)}`;
      const text = JSON.stringify(job);
      if (text.includes(WRITE_CONNECTION) || text.includes("LICENSECTL_WRITE_CONNECTION_ID"))
        out.push(`${where} uses the write connection: adoption only reads the tenant`);
      const jobSteps = Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
      const connections = jobSteps.filter(
        (s) => isObject(s.inputs) && s.inputs.azureSubscription !== undefined,
      );
      for (const step of connections) {
        const env = isObject(step.env) ? step.env : {};
        if ((step.inputs as Yaml).azureSubscription !== READ_CONNECTION)
          out.push(
            `${where} signs in with ${String((step.inputs as Yaml).azureSubscription)}, not ${READ_CONNECTION}`,
          );
        if (env.AZURE_SERVICE_CONNECTION_ID !== READ_CONNECTION_ID)
          out.push(
            `${where} uses ${READ_CONNECTION} with AZURE_SERVICE_CONNECTION_ID ${String(env.AZURE_SERVICE_CONNECTION_ID)}`,
          );
      }
      const pushes = /git (-c \S+ )*push\b/.test(text) || text.includes("pullrequests");
      if (pushes && connections.length > 0)
        out.push(`${where} pushes or opens a pull request in the job that signs in to Graph`);
    }
  }
  return out;
}
