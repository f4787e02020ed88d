import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: two levels up from src/ and dist/. */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The package version, read once from package.json. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    version: string;
  }
).version;

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
};

/**
 * The commit a build from source was made from (short hash), read from the
 * checkout's `.git` without running git; undefined for an installed package.
 * Handles a `.git` directory and a worktree's `.git` file, loose and packed refs.
 */
export function sourceCommit(root: string): string | undefined {
  let gitDir = join(root, ".git");
  try {
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(read(gitDir) ?? "")?.[1];
      if (!pointer) return undefined;
      gitDir = isAbsolute(pointer) ? pointer : join(root, pointer);
    }
  } catch {
    return undefined;
  }
  const head = read(join(gitDir, "HEAD"));
  if (!head) return undefined;
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
  const commonDir = join(gitDir, read(join(gitDir, "commondir")) ?? ".");
  const hash = !ref
    ? head
    : (read(join(gitDir, ref)) ??
      read(join(commonDir, ref)) ??
      read(join(commonDir, "packed-refs"))
        ?.split("\n")
        .find((line) => line.endsWith(` ${ref}`))
        ?.split(" ")[0]);
  return hash && /^[0-9a-f]{40}$/.test(hash) ? hash.slice(0, 7) : undefined;
}

/** What `licensectl --version` says: the version, and the commit for a build from source. */
export function versionLabel(root: string = PACKAGE_ROOT): string {
  const commit = sourceCommit(root);
  return commit ? `${TOOL_VERSION} (commit ${commit})` : TOOL_VERSION;
}
