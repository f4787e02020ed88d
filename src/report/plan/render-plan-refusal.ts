import { formatProblem } from "../../model/problem.js";
import { escapeMarkdown } from "../markdown.js";
import type { Problem } from "../../model/problem.js";
import type { ChangeSetDifference } from "../../plan/reviewed-changes.js";

/** A saved plan apply refused (the "refused" outcome of applySavedPlan); nothing was written. */
export interface PlanRefusal {
  readonly reason: string;
  readonly message: string;
  readonly problems: readonly Problem[];
  readonly hint?: string;
  /** For a stale plan: what moved between the reviewed change set and the one made now. */
  readonly difference?: ChangeSetDifference;
}

/** Version of the JSON contract of a refusal by `apply --format json`. */
export const PLAN_REFUSAL_FORMAT_VERSION = 1;

function counts(refusal: PlanRefusal): string {
  const d = refusal.difference;
  if (d === undefined) return "";
  return `${d.added} added, ${d.dropped} dropped, ${d.altered} altered`;
}

/**
 * A refusal for a terminal or a log: the reason, each problem, and for a
 * stale plan the unified diff of the reviewed change list against the one
 * made now, so the reviewer sees exactly what moved. Pure.
 */
export function renderPlanRefusalText(refusal: PlanRefusal): string {
  const lines = [`error: ${refusal.message}`];
  for (const problem of refusal.problems) lines.push(formatProblem(problem));
  const difference = refusal.difference;
  if (difference !== undefined) {
    lines.push(`What moved since the plan was reviewed (${counts(refusal)}):`);
    lines.push(
      difference.unifiedDiff === ""
        ? "  The changes read the same, but they now name other objects (ids changed)."
        : difference.unifiedDiff.trimEnd(),
    );
  }
  if (refusal.hint) lines.push(`hint: ${refusal.hint}`);
  return `${lines.join("\n")}\n`;
}

/** The same for a pull-request comment: the diff in a `diff` code block. Pure. */
export function renderPlanRefusalMarkdown(refusal: PlanRefusal): string {
  const fence = (text: string) => {
    // A fence longer than any backtick run inside, so the diff cannot close it.
    const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    return "`".repeat(longest + 1);
  };
  const lines = [
    `### licensectl apply refused the plan`,
    "",
    `**${escapeMarkdown(refusal.message)}.** Nothing was written.`,
  ];
  const problems = refusal.problems.map(formatProblem).join("\n");
  if (problems !== "") lines.push("", `${fence(problems)}text`, problems, fence(problems));
  const difference = refusal.difference;
  if (difference !== undefined && difference.unifiedDiff !== "") {
    const diff = difference.unifiedDiff.trimEnd();
    lines.push("", `What moved since the plan was reviewed (${counts(refusal)}):`, "");
    lines.push(`${fence(diff)}diff`, diff, fence(diff));
  }
  if (refusal.hint) lines.push("", escapeMarkdown(refusal.hint));
  return `${lines.join("\n")}\n`;
}

/** The refusal as a versioned JSON document; what moved as RFC 6902 operations. Pure. */
export function renderPlanRefusalJson(refusal: PlanRefusal): string {
  const document = {
    formatVersion: PLAN_REFUSAL_FORMAT_VERSION,
    kind: "licensectl/apply-refused",
    ok: false,
    reason: refusal.reason,
    message: refusal.message,
    problems: refusal.problems,
    ...(refusal.hint ? { hint: refusal.hint } : {}),
    ...(refusal.difference
      ? {
          difference: {
            added: refusal.difference.added,
            dropped: refusal.difference.dropped,
            altered: refusal.difference.altered,
            patch: refusal.difference.patch,
          },
        }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
