import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { applyPlan } from "../../apply/apply-plan.js";
import { applyVerdict } from "../../apply/verdict.js";
import { createLicenseWriter } from "../../graph/graph-license-writer.js";
import { LicensectlError } from "../../model/errors.js";
import type { Plan } from "../../model/plan.js";
import type { ApplyEvent } from "../../apply/apply-events.js";
import type { ApplyResult } from "../../apply/apply-result.js";
import { openApplyJournal, type ApplyJournal } from "../../apply/journal.js";
import { APPLY_FORMATS, APPLY_RENDERERS } from "../../report/apply/index.js";
import { PLAN_REFUSAL_RENDERERS } from "../../report/plan/index.js";
import { renderPlanText } from "../../report/plan/render-plan-text.js";
import { connectToGraph } from "../../workflow/connect.js";
import { applySavedPlan } from "../../workflow/apply-saved-plan.js";
import { loadDesiredState, planAgainst, readTenant } from "../../workflow/prepare-plan.js";
import { planAfterApply } from "../../workflow/verify-converged.js";
import { choice, wholeNumber } from "../choice.js";
import type { CliContext } from "../context.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { createProgressReporter } from "../progress.js";
import type { RegisterCommand } from "./index.js";
import { applyForTenants } from "./multi-tenant.js";
import { addTenantOptions, tenantSelection } from "./tenant-options.js";

interface ApplyFlags {
  manifests?: string[];
  autoApprove?: boolean;
  maxRemovals?: string;
  concurrency: string;
  format: string;
  journal?: string;
}

export const register: RegisterCommand = (program, bind) => {
  addTenantOptions(program.command("apply"))
    .description("carry out a plan: a saved plan file, or a fresh plan after confirmation")
    .argument(
      "[plan-file]",
      "a plan saved by `licensectl plan --out` (or a directory of them from `plan --all --out DIR`); refused if its manifests changed or its changes are no longer the plan",
    )
    .option(
      "-m, --manifests <path...>",
      "manifest files or directories (default: those the plan file records, else .)",
    )
    .option("--auto-approve", "apply a fresh plan without asking (required when not on a terminal)")
    .option("--max-removals <n>", "allow up to N license removals (overrides limits.maxRemovals)")
    .option("--concurrency <n>", "$batch requests in flight", "4")
    .option("--format <format>", `result output: ${APPLY_FORMATS.join(", ")}`, "text")
    .option(
      "--journal <file>",
      "append one JSON line per write (request, status, request-id, timing, outcome) to FILE as it happens",
    )
    .addHelpText(
      "after",
      `
A saved plan is applied as reviewed, without a question. It records its
manifests (relative to the git repository root), so apply finds them from
anywhere inside the repository; -m overrides. Apply reads the tenant, plans
again and carries the saved plan out only when the plan made now is the
reviewed one: changes elsewhere in the tenant do not matter, but when its own
changes moved, it refuses and shows the difference. Without a plan file, apply
plans, shows the plan and asks for 'yes' on a terminal.

After writing, apply reads the tenant back and plans again: "Converged" means
nothing is left to do. Entra is eventually consistent: a read that decides a
removal (a group's copy is Active, a write whose answer was lost was not
carried out) is only believed once --consistency-window has passed since the
write it must show (default 5000 ms), so each handover wave waits about twice
that after its groups were written. Exit 1 if any change failed or was skipped (a direct
license kept because the group's copy is not Active for the user), or if a
member of a group it changed ended with a license error.

Examples:
  $ licensectl plan -m manifests/ --out plan.json && licensectl apply plan.json
  $ licensectl apply plan.json --journal apply-journal.jsonl   # keep the journal as a pipeline artifact
  $ licensectl apply -m manifests/ --auto-approve --max-removals 40
  $ licensectl plan --all --out plans && licensectl apply plans   # several tenants, a saved plan each, one after the other`,
    )
    .action(bind((context, command: Command) => runApply(context, command)));
};

async function runApply(context: CliContext, command: Command): Promise<number> {
  const flags = command.opts<ApplyFlags>();
  // Opened first, so a journal that cannot be written stops apply before any write.
  const journal =
    flags.journal === undefined
      ? undefined
      : openApplyJournal(resolve(context.io.cwd, flags.journal), flags.journal);
  try {
    return await applyCommand(context, command, flags, journal);
  } finally {
    journal?.close();
  }
}

async function applyCommand(
  context: CliContext,
  command: Command,
  flags: ApplyFlags,
  journal: ApplyJournal | undefined,
): Promise<number> {
  const [planFile] = command.args;
  const format = choice("--format", flags.format, APPLY_FORMATS);
  const concurrency = Math.max(1, wholeNumber("--concurrency", flags.concurrency));
  const maxRemovals =
    flags.maxRemovals === undefined ? undefined : wholeNumber("--max-removals", flags.maxRemovals);
  const tenants = tenantSelection(command);
  const planDirectory =
    planFile !== undefined &&
    (await stat(resolve(context.io.cwd, planFile)).catch(() => undefined))?.isDirectory();
  if (tenants || planDirectory)
    return applyForTenants(
      context,
      command,
      planFile,
      tenants,
      {
        format,
        concurrency,
        ...(maxRemovals !== undefined ? { maxRemovals } : {}),
      },
      (_tenant, event) => journal?.record(event),
    );
  const globals = context.globals(command);
  const window =
    globals.consistencyWindowMs !== undefined ? { consistencyWindowMs: globals.consistencyWindowMs } : {};
  const io = context.io;
  const progress = (line: string) => context.progress(command, line);
  const verbose = globals.verbose ? (line: string) => io.stderr(`${line}\n`) : undefined;
  const report = createProgressReporter(io, {
    quiet: globals.quiet,
    color: context.useColor(command, "stderr"),
  });
  const onEvent = (event: ApplyEvent) => {
    journal?.record(event);
    report(event);
  };
  const showResult = (result: ApplyResult) =>
    io.stdout(APPLY_RENDERERS[format](result, { color: context.useColor(command, "stdout") }));
  /** The verdict: converged only when nothing remains and the apply did all its plan said. */
  const finish = (result: ApplyResult, remaining: Plan): number => {
    const verdict = applyVerdict(result);
    if (remaining.summary.changes === 0 && verdict.ok) {
      progress("Converged: the tenant matches the manifests.");
    } else {
      io.stderr(
        `Not converged: ${[`${remaining.summary.changes} changes remain`, ...verdict.reasons].join("; ")}.\n`,
      );
      if (format === "text" && remaining.summary.changes > 0)
        io.stderr(renderPlanText(remaining, { color: context.useColor(command, "stderr") }));
    }
    return verdict.ok ? EXIT_OK : EXIT_ERROR;
  };

  if (planFile) {
    const planPath = resolve(io.cwd, planFile);
    const outcome = await applySavedPlan({
      planText: await readPlanFile(planPath, planFile),
      planFile,
      planPath,
      cwd: io.cwd,
      ...(flags.manifests !== undefined ? { manifestPaths: flags.manifests } : {}),
      connection: (tenantId) => connectToGraph(globals, io.env, tenantId, verbose),
      ...(globals.catalog !== undefined ? { catalog: globals.catalog } : {}),
      ...(maxRemovals !== undefined ? { maxRemovals } : {}),
      writer: { concurrency, ...window },
      ...window,
      onEvent,
      progress,
      read: context.readOptions(command),
    });
    if (outcome.kind === "refused") {
      // Text goes to stderr in every format; a machine format also gets its own document on stdout.
      if (format !== "text") io.stdout(PLAN_REFUSAL_RENDERERS[format](outcome, { color: false }));
      io.stderr(PLAN_REFUSAL_RENDERERS.text(outcome, { color: false }));
      return EXIT_ERROR;
    }
    if (outcome.result === undefined) {
      progress("No changes. The tenant matches the manifests.");
      return EXIT_OK;
    }
    showResult(outcome.result);
    return finish(outcome.result, outcome.remaining);
  }

  const { desired } = await loadDesiredState(flags.manifests ?? ["."], io.cwd);
  const connection = connectToGraph(globals, io.env, desired.tenant.id, verbose);
  const live = await readTenant(connection, desired, progress, context.readOptions(command));
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
  const plan = planAgainst(desired, live, globals).plan;
  // JSON keeps stdout for the result alone; the plan to approve goes to stderr then.
  const shown = format === "text" ? "stdout" : "stderr";
  io[shown](renderPlanText(plan, { color: context.useColor(command, shown) }));
  if (plan.summary.changes === 0) {
    progress("No changes. The tenant matches the manifests.");
    return EXIT_OK;
  }
  if (!flags.autoApprove && !(await confirm(context, plan))) {
    io.stderr("Apply cancelled; nothing was written.\n");
    return EXIT_ERROR;
  }
  const writer = createLicenseWriter(connection, { concurrency, ...window });
  const result = await applyPlan(plan, writer, {
    ...(maxRemovals !== undefined ? { maxRemovals } : {}),
    onEvent,
    ...window,
  });
  showResult(result);
  // Verification: read the tenant back and plan again; a clean plan means the tenant converged.
  return finish(
    result,
    await planAfterApply(connection, desired, result, {
      ...(globals.catalog !== undefined ? { catalog: globals.catalog } : {}),
      progress,
      ...window,
      read: context.readOptions(command),
    }),
  );
}

async function readPlanFile(path: string, shown: string): Promise<string> {
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
  return text;
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
