import { lstat, writeFile } from "node:fs/promises";
import { LicensectlError } from "../model/errors.js";

/**
 * Writes a file licensectl produces (plan, report, exported manifest), but never
 * through a symbolic link: in a pull-request job the working tree is the
 * contributor's, and a committed `plan.json -> ~/.bashrc` would otherwise be
 * overwritten wherever it points.
 */
export async function writeOutputFile(path: string, text: string, shown: string): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    throw new LicensectlError(
      "output-is-link",
      `${shown} is a symbolic link; licensectl does not write through links`,
      {
        hint: "Delete the link or choose another output path.",
      },
    );
  }
  await writeFile(path, text);
}
