import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Problem } from "../model/problem.js";
import {
  currentHeap,
  KEPT_BYTES_PER_BYTE,
  memoryProblem,
  PIECEWISE_PARSE_BYTES_PER_BYTE,
  type HeapState,
} from "./memory-budget.js";

export interface ManifestFileBytes {
  /** Relative to the working directory, with `/` separators. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Named on the command line itself, rather than found in a directory. */
  readonly named: boolean;
}

const isManifestName = (name: string) => name.endsWith(".yaml") || name.endsWith(".yml");

/** Whether `path` lies inside `root` (both real paths). */
const isInside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

async function walk(directory: string, found: string[], root: string, outside: string[]): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = join(directory, entry.name);
    if (entry.isDirectory()) await walk(full, found, root, outside);
    else if (isManifestName(entry.name) && entry.isFile()) found.push(full);
    else if (isManifestName(entry.name) && entry.isSymbolicLink()) {
      // A link out of the tree would let a change to the repository read any file the runner can.
      const target = await realpath(full).catch(() => undefined);
      if (target !== undefined && isInside(root, target)) found.push(full);
      else outside.push(full);
    }
  }
}

/**
 * The manifest files named by `paths`: files as given, directories searched
 * recursively for *.yaml and *.yml (hidden folders and node_modules skipped).
 */
export async function collectManifestFiles(
  paths: readonly string[],
  cwd: string,
  heap: () => HeapState = currentHeap,
): Promise<{ files: ManifestFileBytes[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const absolute = new Set<string>();
  const named = new Set<string>();
  const display = (full: string) => relative(cwd, full).split(sep).join("/") || ".";
  for (const path of paths) {
    const full = resolve(cwd, path);
    const info = await stat(full).catch(() => undefined);
    if (!info) {
      problems.push({
        code: "path-not-found",
        severity: "error",
        message: `${path} does not exist`,
        hint: "Pass a manifest file or a directory of *.yaml / *.yml files.",
      });
    } else if (info.isDirectory()) {
      const found: string[] = [];
      const outside: string[] = [];
      await walk(full, found, await realpath(full), outside);
      for (const link of outside) {
        problems.push({
          code: "symlink-outside",
          severity: "error",
          message: `${display(link)} is a symbolic link to a file outside ${display(full)} (or to nothing)`,
          hint: "Keep manifests inside the directory you pass, or name the file itself on the command line.",
          location: { file: display(link), line: 1, column: 1 },
        });
      }
      if (found.length === 0 && outside.length === 0) {
        problems.push({
          code: "no-manifests",
          severity: "error",
          message: `${display(full)} holds no *.yaml or *.yml files`,
          hint: "Point licensectl at the directory that holds your manifests, or add one with `apiVersion: licensectl/v1`.",
        });
      }
      for (const file of found) absolute.add(file);
    } else {
      absolute.add(full);
      named.add(full);
    }
  }
  const files: ManifestFileBytes[] = [];
  let held = 0;
  for (const full of [...absolute].sort()) {
    const path = display(full);
    const info = await stat(full);
    if (!info.isFile()) {
      // Reading a device (/dev/zero) or a FIFO never ends.
      problems.push({
        code: "not-a-file",
        severity: "error",
        message: `${path} is not a regular file`,
        hint: "Pass manifest files or directories; devices, pipes and sockets are not read.",
      });
      continue;
    }
    // Refused before reading: a file that cannot be parsed in this heap would end the process instead.
    // (A file that must be parsed as a whole needs more; yaml-source checks that when it comes to it.)
    const needs = info.size * PIECEWISE_PARSE_BYTES_PER_BYTE;
    const tooLarge = memoryProblem({ path, size: info.size, needs, held, doing: "parsing it" }, heap());
    if (tooLarge) {
      problems.push(tooLarge);
      continue;
    }
    held += info.size * KEPT_BYTES_PER_BYTE;
    files.push({ path, bytes: await readFile(full), named: named.has(full) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}
