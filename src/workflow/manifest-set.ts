import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { ManifestSet, Plan } from "../model/plan.js";
import type { Problem } from "../model/problem.js";
import { sha256Hex } from "../util/digest.js";

/**
 * The manifest set a plan records (see ManifestSet) and how apply finds it
 * again: from anywhere inside the same repository, or from the directory
 * `plan` ran in, without `-m`.
 */

const toSlashes = (path: string) => path.split(sep).join("/");
const isInside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/**
 * The root of the git repository holding `start`: the nearest directory
 * upwards with a `.git` entry (a directory, or a file in worktrees and
 * submodules). No git binary needed.
 */
export async function findRepositoryRoot(start: string): Promise<string | undefined> {
  let directory = resolve(start);
  for (;;) {
    if (await stat(join(directory, ".git")).catch(() => undefined)) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

async function fileDigest(path: string): Promise<string | undefined> {
  const bytes = await readFile(path).catch(() => undefined);
  return bytes === undefined ? undefined : `sha256:${sha256Hex(bytes)}`;
}

/** Records `files` (relative to `cwd`, as the loader lists them) with a digest each. */
export async function recordManifestSet(files: readonly string[], cwd: string): Promise<ManifestSet> {
  const absolute = files.map((file) => resolve(cwd, file));
  const root = await findRepositoryRoot(cwd);
  const inRepository = root !== undefined && absolute.every((file) => isInside(root, file));
  const base = inRepository ? root : cwd;
  const records = await Promise.all(
    absolute.map(async (file) => ({
      path: toSlashes(relative(base, file)),
      digest: (await fileDigest(file)) ?? "",
    })),
  );
  return {
    base: inRepository ? "repository" : "directory",
    files: records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** Where apply looks for a recorded set: each candidate base directory, in order. */
async function candidateBases(set: ManifestSet, places: readonly string[]): Promise<string[]> {
  const bases: string[] = [];
  for (const place of places) {
    const base = set.base === "repository" ? await findRepositoryRoot(place) : place;
    if (base !== undefined && !bases.includes(base)) bases.push(base);
  }
  return bases;
}

/**
 * Finds the recorded manifest files: under the repository root of the
 * working directory or of the plan file (a "repository" set), or in the
 * working directory or the plan file's directory (a "directory" set). Returns
 * absolute paths, or undefined when some file is missing everywhere.
 */
export async function locateManifestSet(
  set: ManifestSet,
  places: readonly string[],
): Promise<{ readonly base: string; readonly files: readonly string[] } | undefined> {
  for (const base of await candidateBases(set, places)) {
    const files = set.files.map((file) => resolve(base, file.path));
    const found = await Promise.all(
      files.map((file) =>
        stat(file).then(
          (info) => info.isFile(),
          () => false,
        ),
      ),
    );
    if (found.every(Boolean)) return { base, files };
  }
  return undefined;
}

/**
 * Compares the set a plan recorded with the one apply loaded: every file
 * added, missing or changed is a problem of its own, named by path.
 */
export function compareManifestSets(recorded: ManifestSet, current: ManifestSet, file: string): Problem[] {
  const digests = (set: ManifestSet) => set.files.map((f) => f.digest).sort();
  // The same files copied elsewhere (-m pointing at a copy) are the same manifests.
  if (JSON.stringify(digests(recorded)) === JSON.stringify(digests(current))) return [];
  const before = new Map(recorded.files.map((f) => [f.path, f.digest]));
  const after = new Map(current.files.map((f) => [f.path, f.digest]));
  const hint = "Run `licensectl plan --out` again from these manifests, review it, and apply the new plan.";
  const problems: Problem[] = [];
  const problem = (message: string): Problem => ({ code: "stale-plan", severity: "error", message, hint });
  for (const [path, digest] of before) {
    const now = after.get(path);
    if (now === undefined)
      problems.push(problem(`${path}, which ${file} was made from, is not among the manifests read`));
    else if (now !== digest) problems.push(problem(`${path} changed since ${file} was made`));
  }
  for (const path of after.keys()) {
    if (!before.has(path)) problems.push(problem(`${path} is a manifest ${file} was not made from`));
  }
  return problems;
}

/** The plan with the manifest set it was made from recorded (after `manifestDigest`, for readers). */
export async function withManifestSet(plan: Plan, files: readonly string[], cwd: string): Promise<Plan> {
  const manifests = await recordManifestSet(files, cwd);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plan)) {
    if (key === "manifests") continue;
    out[key] = value;
    if (key === "manifestDigest") out.manifests = manifests;
  }
  return out as unknown as Plan;
}
