import { createTwoFilesPatch } from "diff";
import type { AdoptionResult } from "../../model/adopt.js";
import { describeEdit } from "./describe-adoption.js";

/**
 * The adoption as one patch for `git apply` (run from the repository root):
 * per file, `#` lines saying which drift items each edit adopts and why, then
 * the unified diff with a/ and b/ prefixes. `git apply` and `patch -p1` skip
 * the `#` lines. Empty when there is nothing to adopt.
 */
export function renderAdoptPatch(result: AdoptionResult): string {
  const parts: string[] = [];
  for (const file of result.files) {
    const notes = file.edits.flatMap(describeEdit).map((line) => `# ${line}\n`);
    const patch = createTwoFilesPatch(
      `a/${file.path}`,
      `b/${file.path}`,
      file.before,
      file.after,
      undefined,
      undefined,
      {
        context: 3,
      },
    );
    // The diff package opens each patch with a line of "=" that says nothing here.
    parts.push(notes.join("") + patch.replace(/^=+\n/, ""));
  }
  return parts.join("");
}

/** What the edits adopt, without the diff: what `adopt --write` prints. */
export function renderAdoptSummary(result: AdoptionResult): string {
  return result.files
    .flatMap((file) => file.edits.flatMap(describeEdit))
    .map((line) => `${line}\n`)
    .join("");
}
