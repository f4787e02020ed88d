import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { applyPlan } from "../../apply/apply-plan.js";
import { createLicenseWriter } from "../../graph/graph-license-writer.js";
import { LicensectlError } from "../../model/errors.js";
import type { Plan } from "../../model/plan.js";
import { hasErrors } from "../../model/problem.js";
import { checkPlanIsCurrent, checkPlanMatchesFresh, parsePlanFile } from "../../plan/plan-file.js";
import { renderApplyResultJson, renderApplyResultText } from "../../report/apply/render-apply-result.js";
import { renderPlanText } from "../../report/plan/render-plan-text.js";
import { connectToGraph } from "../../workflow/connect.js";
import { digestLiveState, loadDesiredState, planAgainst, readTenant } from "../../workflow/prepare-plan.js";
import { choice, wholeNumber } from "../choice.js";
import type { CliContext } from "../context.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { createProgressReporter } from "../progress.js";
import type { RegisterCommand } from "./index.js";

const FORMATS = ["text", "json"] as const;

interface ApplyFlags {
  manifests: string[];
  autoApprove?: boolean;
  maxRemovals?: string;
  concurrency: string;
  format: string;
}

export const register: RegisterCommand = (program, bind) => {
  program
    .command("apply")
    .description("carry out a plan: a saved plan file, or a fresh plan after confirmation")
    .argument(
      "[plan-file]",
      "a plan saved by `licensectl plan --out`; refused if the tenant or manifests changed since",
    )
    .option("-m, --manifests <path...>", "manifest files or directories", ["."])
    .option("--auto-approve", "apply a fresh plan without asking (required when not on a terminal)")
    .option("--max-removals <n>", "allow up to N license removals (overrides limits.maxRemovals)")
    .option("--concurrency <n>", "$batch requests in flight", "4")
    .option("--format <format>", `result output: ${FORMATS.join(", ")}`, "text")
    .addHelpText(
      "after",
      `
A saved plan is applied as reviewed, without a question; it is refused when the
tenant or the manifests have changed since it was made. Without a plan file,
apply plans, shows the plan and asks for 'yes' on a terminal.

After writing, apply reads the tenant back and plans again: "Converged" means
nothing is left to do. Exit 1 if any change failed; re-running converges.

Examples:
  $ licensectl plan -m manifests/ --out plan.json && licensectl apply plan.json -m manifests/
  $ licensectl apply -m manifests/ --auto-approve --max-removals 40`,
    )
    .action(bind((context, command: Command) => runApply(context, command)));
};

async function runApply(context: CliContext, command: Command): Promise<number> {
  const [planFile] = command.args;
  const flags = command.opts<ApplyFlags>();
  const format = choice("--format", flags.format, FORMATS);
  const concurrency = Math.max(1, wholeNumber("--concurrency", flags.concurrency));
  const maxRemovals =
    flags.maxRemovals === undefined ? undefined : wholeNumber("--max-removals", flags.maxRemovals);
  const globals = context.globals(command);
  const io = context.io;
  const progress = (line: string) => context.progress(command, line);
  const verbose = globals.verbose ? (line: string) => io.stderr(`${line}\n`) : undefined;

  const saved = planFile ? await readPlanFile(resolve(io.cwd, planFile), planFile) : undefined;
  const { desired } = await loadDesiredState(flags.manifests, io.cwd);
  const connection = connectToGraph(globals, io.env, saved?.tenant.id ?? desired.tenant.id, verbose);
  const live = await readTenant(connection, desired, progress);
  if (!desired.tenant.id) {
    // Without it, authoritative manifests would be carried out in whatever tenant the credential reaches.
    throw new LicensectlError(
      "tenant-id-missing",
      "the manifests do not say which tenant they are for, so apply will not write",
      {
        hint: `Add \`tenant: { id: ${live.tenant.id} }\` to the manifests if ${live.tenant.displayName || "the signed-in tenant"} is the tenant they describe.`,
      },
    );
  }

  let plan: Plan;
  if (saved) {
    const stale = checkPlanIsCurrent(saved, {
      liveDigest: digestLiveState(live),
      manifestDigest: desired.digest,
      tenantId: live.tenant.id,
    });
    if (hasErrors(stale)) {
      throw new LicensectlError(
        "stale-plan",
        `the plan in ${planFile} no longer matches what it was made from`,
        {
          problems: stale,
          hint: "Nothing was written. Run `licensectl plan --out` again, review it, and apply the new plan.",
        },
      );
    }
    const forged = checkPlanMatchesFresh(saved, planAgainst(desired, live, globals).plan, planFile!);
    if (hasErrors(forged)) {
      throw new LicensectlError("plan-file-tampered", `the plan in ${planFile} cannot be trusted`, {
        problems: forged,
        hint: "Nothing was written.",
      });
    }
    plan = saved;
  } else {
    plan = planAgainst(desired, live, globals).plan;
    // JSON keeps stdout for the result alone; the plan to approve goes to stderr then.
    const shown = format === "json" ? "stderr" : "stdout";
    io[shown](renderPlanText(plan, { color: context.useColor(command, shown) }));
    if (plan.summary.changes === 0) return EXIT_OK;
    if (!flags.autoApprove && !(await confirm(context, plan))) {
      io.stderr("Apply cancelled; nothing was written.\n");
      return EXIT_ERROR;
    }
  }
  if (plan.summary.changes === 0) {
    progress("No changes. The tenant matches the manifests.");
    return EXIT_OK;
  }

  const writer = createLicenseWriter(connection, { concurrency });
  const result = await applyPlan(plan, writer, {
    ...(maxRemovals !== undefined ? { maxRemovals } : {}),
    onEvent: createProgressReporter(io, { quiet: globals.quiet, color: context.useColor(command, "stderr") }),
  });
  io.stdout(
    format === "json"
      ? renderApplyResultJson(result)
      : renderApplyResultText(result, { color: context.useColor(command, "stdout") }),
  );

  // Verification: read the tenant back and plan again; a clean plan means the tenant converged.
  const after = await readTenant(connection, desired, progress);
  const recheck = planAgainst(desired, after, globals).plan;
  if (recheck.summary.changes === 0) {
    progress("Converged: the tenant matches the manifests.");
  } else {
    io.stderr(`Not converged: ${recheck.summary.changes} changes remain.\n`);
    if (format === "text") io.stderr(renderPlanText(recheck, { color: context.useColor(command, "stderr") }));
  }
  return result.failed.length > 0 || result.unknown.length > 0 ? EXIT_ERROR : EXIT_OK;
}

async function readPlanFile(path: string, shown: string): Promise<Plan> {
  let text: string;
  try {
    // A device (/dev/zero) or a pipe would be read until memory runs out.
    if (!(await stat(path)).isFile()) throw new Error("it is not a regular file");
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new LicensectlError("plan-file-unreadable", `cannot read ${shown}: ${(error as Error).message}`, {
      hint: "Give the path of a file written by `licensectl plan --out`.",
    });
  }
  return parsePlanFile(text, shown);
}

/** Asks on the terminal; without one, refuses rather than guessing. */
async function confirm(context: CliContext, plan: Plan): Promise<boolean> {
  const io = context.io;
  if (!io.stdinIsTTY || !io.prompt) {
    throw new LicensectlError("needs-approval", "apply needs approval and there is no terminal to ask", {
      hint: "Review the plan above, then run apply with --auto-approve, or save it with `plan --out` and apply the file.",
    });
  }
  const answer = await io.prompt(
    `\nApply ${plan.summary.changes} changes to tenant ${plan.tenant.displayName} (${plan.tenant.id})?\n` +
      "Only 'yes' will be accepted: ",
  );
  return answer.trim() === "yes";
}
