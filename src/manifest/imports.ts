import { readFile, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Problem, SourceLocation } from "../model/problem.js";
import { classifyDocument } from "./classify-document.js";
import { decodeUtf8 } from "./decode-text.js";
import type { ManifestDocument } from "./manifest-document.js";
import type { ValidDocument } from "./merge-documents.js";
import { checkSchema } from "./schema-problems.js";
import { locate, parseYamlFile, type ParseOptions } from "./yaml-source.js";

/**
 * Profile libraries: `imports: [../../shared/profiles.yaml]` in a manifest
 * names files, relative to itself, whose profiles the manifest set may use.
 * A library is a licensectl/v1 file that holds only `profiles` (and
 * `imports` of its own). Imports are followed transitively; a cycle, a
 * missing file, a file outside the repository or a library holding anything
 * but profiles is a located error. Libraries join the manifest set (they are
 * digested and recorded in plan files), so a changed library makes a saved
 * plan stale like any other manifest.
 */

/** What a library may hold: a library shares profiles, never a tenant's principals or settings. */
const LIBRARY_KEYS = new Set(["apiVersion", "profiles", "imports"]);

export interface ImportedLibraries {
  readonly documents: ValidDocument[];
  /** Library files, relative to cwd, with their text (for the manifest digest). */
  readonly files: [string, string][];
  readonly problems: Problem[];
  /**
   * Files read as manifests in their own right that a manifest also imports
   * (a saved plan lists libraries among its files): their documents are
   * libraries all the same.
   */
  readonly importedManifests: Set<string>;
}

const isInside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/** The git repository root above `start` (a `.git` entry), else undefined. */
async function repositoryRoot(start: string): Promise<string | undefined> {
  let directory = start;
  for (;;) {
    if (await stat(join(directory, ".git")).catch(() => undefined)) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * Reads every library the documents import, transitively. `loaded` holds the
 * absolute paths of files already in the manifest set: importing one of them
 * adds nothing.
 */
export async function readImportedLibraries(
  documents: readonly ValidDocument[],
  loaded: ReadonlySet<string>,
  cwd: string,
  parse?: ParseOptions,
): Promise<ImportedLibraries> {
  const out: ImportedLibraries = { documents: [], files: [], problems: [], importedManifests: new Set() };
  const seen = new Set<string>(loaded);
  const display = (full: string) => relative(cwd, full).split(sep).join("/") || ".";
  const error = (code: string, message: string, location: SourceLocation, hint: string) =>
    out.problems.push({ code, severity: "error", message, hint, location });
  const root = (await repositoryRoot(await realpath(cwd).catch(() => resolve(cwd)))) ?? resolve(cwd);

  const visit = async (source: ValidDocument, chain: readonly string[]): Promise<void> => {
    const imports = source.manifest.imports ?? [];
    const importer = resolve(cwd, source.parsed.file);
    for (const [i, path] of imports.entries()) {
      const location = locate(source.parsed, ["imports", i]);
      const full = resolve(dirname(importer), path);
      if (chain.includes(full)) {
        const cycle = [...chain.slice(chain.indexOf(full)), full].map(display).join(" -> ");
        error(
          "import-cycle",
          `importing ${path} closes a cycle: ${cycle}`,
          location,
          "A library must not import, directly or not, a file that imports it; remove one of the imports.",
        );
        continue;
      }
      const real = await realpath(full).catch(() => undefined);
      if (real === undefined) {
        error(
          "import-not-found",
          `${path} (${display(full)}) does not exist`,
          location,
          "Imports are paths relative to the file that imports them, e.g. `imports: [../../shared/profiles.yaml]`.",
        );
        continue;
      }
      if (!isInside(root, real)) {
        error(
          "import-outside-repository",
          `${path} resolves to ${real}, outside ${root}`,
          location,
          "Keep profile libraries inside the repository that holds the manifests.",
        );
        continue;
      }
      if (loaded.has(full)) out.importedManifests.add(display(full));
      if (seen.has(full)) continue;
      seen.add(full);
      const info = await stat(full);
      const bytes = info.isFile() ? await readFile(full) : undefined;
      const decoded = bytes === undefined ? undefined : decodeUtf8(bytes);
      if (decoded === undefined || !decoded.ok) {
        error(
          "import-unreadable",
          `${path} is not a UTF-8 file`,
          location,
          "Import a profile library: a *.yaml file with `apiVersion: licensectl/v1` and `profiles:`.",
        );
        continue;
      }
      const file = display(full);
      const parsed = parseYamlFile(file, decoded.text, parse);
      out.problems.push(...parsed.problems);
      out.files.push([file, decoded.text]);
      for (const document of parsed.documents.filter((d) => d.data !== null && d.data !== undefined)) {
        const kind = classifyDocument(document, true);
        if (kind.kind === "invalid") {
          out.problems.push(kind.problem);
          continue;
        }
        if (kind.kind !== "manifest") {
          error(
            "import-not-a-library",
            `${path} is not a licensectl profile library`,
            location,
            "A library carries `apiVersion: licensectl/v1` and `profiles:`.",
          );
          continue;
        }
        const checked = checkSchema(document);
        out.problems.push(...checked.problems);
        const data = document.data as Record<string, unknown>;
        const foreign = Object.keys(data).filter((key) => !LIBRARY_KEYS.has(key));
        for (const key of foreign) {
          error(
            "library-not-profiles",
            `${file} is imported as a profile library but states ${key}`,
            locate(document, [key], "key"),
            `A library holds only profiles (and imports); move ${key} into the manifests of the tenant that needs it.`,
          );
        }
        if (checked.problems.length > 0) continue;
        const manifest = Object.fromEntries(
          Object.entries(data).filter(([key]) => LIBRARY_KEYS.has(key)),
        ) as unknown as ManifestDocument;
        const library: ValidDocument = { parsed: document, manifest, library: true };
        out.documents.push(library);
        await visit(library, [...chain, full]);
      }
    }
  };

  for (const document of documents) await visit(document, [resolve(cwd, document.parsed.file)]);
  return out;
}
