import { workflowEvents } from "./pipeline-policy.js";

/**
 * The rules the workflow that publishes licensectl must keep, as a pure
 * function over its parsed YAML (tested against planted violations):
 * - it never runs for a pull request;
 * - the workflow grants nothing by default, each job only what it needs, and
 *   `id-token: write` (GitHub's OIDC token, which npm trusts to publish) only
 *   in the job that publishes, which can write nothing else;
 * - every `npm publish` makes a provenance statement (`--provenance`);
 * - every action is pinned to a full commit SHA, which a moved tag cannot change.
 */

type Yaml = Record<string, unknown>;

const isObject = (value: unknown): value is Yaml =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const jobsOf = (workflow: Yaml): [string, Yaml][] =>
  isObject(workflow.jobs)
    ? Object.entries(workflow.jobs).filter((e): e is [string, Yaml] => isObject(e[1]))
    : [];

const stepsOf = (job: Yaml): Yaml[] => (Array.isArray(job.steps) ? job.steps.filter(isObject) : []);

/** The scopes a permissions block grants write on ("all" for write-all). */
function writes(permissions: unknown): string[] {
  if (permissions === "write-all") return ["all"];
  if (!isObject(permissions)) return [];
  return Object.entries(permissions)
    .filter(([, level]) => level === "write")
    .map(([scope]) => scope);
}

const publishes = (job: Yaml) =>
  stepsOf(job).some((step) => /\bnpm\s+publish\b/.test(String(step.run ?? "")));

/** Violations of the release workflow, named `file`. */
export function releaseWorkflowViolations(file: string, workflow: Yaml): string[] {
  const out: string[] = [];
  const forPullRequests = workflowEvents(workflow).filter((e) => e.startsWith("pull_request"));
  if (forPullRequests.length > 0) out.push(`${file} runs on ${forPullRequests.join("/")}`);
  if (!isObject(workflow.permissions) || Object.keys(workflow.permissions).length > 0)
    out.push(`${file} grants permissions by default (want \`permissions: {}\`, and each job its own)`);

  const jobs = jobsOf(workflow);
  if (!jobs.some(([, job]) => publishes(job))) out.push(`${file} has no job that runs npm publish`);
  for (const [id, job] of jobs) {
    const where = `${file}: job ${id}`;
    if (job.permissions === undefined) out.push(`${where} does not say which permissions it needs`);
    const granted = writes(job.permissions);
    const idToken = granted.includes("id-token") || granted.includes("all");
    if (idToken && !publishes(job)) out.push(`${where} gets id-token: write without publishing`);
    if (publishes(job)) {
      const others = granted.filter((scope) => scope !== "id-token");
      if (others.length > 0) out.push(`${where} publishes and can also write ${others.join(", ")}`);
      if (!idToken) out.push(`${where} publishes without id-token: write (no OIDC, no provenance)`);
    }
    for (const step of stepsOf(job)) {
      const run = String(step.run ?? "");
      for (const command of run.match(/\bnpm\s+publish\b[^\n]*/g) ?? [])
        if (!command.includes("--provenance"))
          out.push(`${where} runs \`${command.trim()}\` without --provenance`);
      if (step.uses !== undefined && !/@[0-9a-f]{40}$/.test(String(step.uses)))
        out.push(`${where} uses ${String(step.uses)}, not pinned to a commit SHA`);
    }
  }
  return out;
}
