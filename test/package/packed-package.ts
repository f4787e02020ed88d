import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, "..", "..");

/** A project that installed licensectl from its packed tarball; `node` runs scripts inside it. */
export interface InstalledPackage {
  readonly dir: string;
  /** Runs an ES module script in the project and resolves with its stdout. */
  node(script: string): Promise<{ stdout: string; stderr: string }>;
  remove(): void;
}

/**
 * Builds and packs licensectl as `npm publish` would (a fresh build into a
 * staging copy, `npm pack`), then unpacks the tarball as
 * `node_modules/licensectl` of a new project. The project lives under the
 * repository's `node_modules/.cache`, so the package's own dependencies
 * resolve from the repository's install: no registry is needed.
 */
export async function installPackedPackage(): Promise<InstalledPackage> {
  const staging = mkdtempSync(join(tmpdir(), "licensectl-pack-"));
  try {
    for (const name of ["package.json", "README.md", "schemas", "data", "examples"])
      cpSync(join(ROOT, name), join(staging, name), { recursive: true });
    await run(process.execPath, [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(ROOT, "tsconfig.build.json"),
      "--outDir",
      join(staging, "dist"),
    ]);
    await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", staging], {
      cwd: staging,
    });
    const tarball = readdirSync(staging).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack left no tarball in ${staging}`);

    const cache = join(ROOT, "node_modules", ".cache");
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, "licensectl-installed-"));
    const installed = join(dir, "node_modules", "licensectl");
    mkdirSync(installed, { recursive: true });
    await run("tar", ["-xzf", join(staging, tarball), "-C", installed, "--strip-components=1"]);
    return {
      dir,
      node: (script) =>
        run(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" }),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
