import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./harness.js";

/** Newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * The path of a built `licensectl` (dist/cli/main.js) that matches the
 * sources: the project's own dist/ when it is newer than src/, else a private
 * build in a temporary directory laid out like the package (data/, schemas/,
 * examples/ and package.json linked), so dist/ is never rebuilt under others.
 */
export async function builtCli(): Promise<string> {
  const own = join(ROOT, "dist", "cli", "main.js");
  if (existsSync(own) && statSync(own).mtimeMs >= newest(join(ROOT, "src"))) return own;
  const dir = mkdtempSync(join(tmpdir(), "licensectl-build-"));
  for (const name of ["data", "schemas", "examples", "package.json", "node_modules"])
    symlinkSync(join(ROOT, name), join(dir, name));
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(ROOT, "tsconfig.build.json"),
      "--outDir",
      join(dir, "dist"),
    ],
    { cwd: ROOT },
  );
  return join(dir, "dist", "cli", "main.js");
}
