import type { DesiredLicense, DesiredState } from "../model/desired-state.js";
import { hasErrors, type Problem } from "../model/problem.js";
import { resolve } from "node:path";
import { digestOf } from "../util/digest.js";
import { collectManifestFiles } from "./collect-files.js";
import { decodeUtf8 } from "./decode-text.js";
import { classifyDocument } from "./classify-document.js";
import { readImportedLibraries } from "./imports.js";
import { MANIFEST_API_VERSION, type ManifestDocument } from "./manifest-document.js";
import { orderProblems } from "./order-problems.js";
import { mergeDocuments, type ValidDocument } from "./merge-documents.js";
import { checkSchema } from "./schema-problems.js";
import type { PathSegment } from "./yaml-source.js";
import { parseYamlFile, type ParseOptions } from "./yaml-source.js";

/** Options of loadManifests. */
export interface LoadOptions {
  /** Directory that paths are resolved against and reported relative to; default process.cwd(). */
  readonly cwd?: string;
  /**
   * How files are parsed; the default (in pieces where possible) is what licensectl uses.
   * @internal For tests comparing the two ways of parsing.
   */
  readonly parse?: ParseOptions;
}

/** What loading produced. `state` is set only when there are no errors. */
export interface LoadResult {
  readonly state?: DesiredState;
  readonly problems: Problem[];
  /**
   * Files skipped because they are not manifests, relative to cwd: emulator
   * tenant fixtures, and (in directories) YAML with no licensectl apiVersion and no manifest keys.
   */
  readonly skipped: string[];
}

/** A file that was read but is not a manifest, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** Like LoadResult, but with the best state that could be merged even when some files have errors. */
export interface LenientLoadResult {
  readonly state: DesiredState;
  readonly problems: Problem[];
  readonly skipped: string[];
  readonly skippedFiles: SkippedFile[];
  /** Profiles no user or group uses; their licenses are not in `state`, but their names need checking too. */
  readonly unusedProfiles: ReadonlyMap<string, readonly DesiredLicense[]>;
}

/**
 * The document without the entries that failed the schema, so that merge rules
 * can still check the rest (and report its problems in the same run).
 */
function withoutInvalid(
  manifest: ManifestDocument,
  invalid: readonly (readonly PathSegment[])[],
): ManifestDocument {
  if (invalid.length === 0) return manifest;
  const copy: Record<string, unknown> = { ...manifest };
  const drop = (section: string, test: (key: PathSegment) => boolean) => {
    const value = copy[section];
    if (Array.isArray(value)) copy[section] = value.map((item, i) => (test(i) ? undefined : item));
    else if (value && typeof value === "object")
      copy[section] = Object.fromEntries(Object.entries(value).filter(([key]) => !test(key)));
  };
  for (const path of invalid) {
    const [section, entry] = path;
    if (typeof section !== "string") continue;
    if (entry === undefined) delete copy[section];
    else drop(section, (key) => key === entry);
  }
  return copy as unknown as ManifestDocument;
}

/**
 * Reads, parses (with positions), schema-checks and merges manifests, and
 * applies the rules that need no catalog. Keeps going after errors so that a
 * run reports all of them; `state` then holds what could be merged.
 */
export async function loadManifestsLeniently(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<LenientLoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const { files, problems } = await collectManifestFiles(paths, cwd);
  const skipped: string[] = [];
  const skippedFiles: SkippedFile[] = [];
  const valid: ValidDocument[] = [];
  const manifestFiles: string[] = [];
  const contents: [string, string][] = [];
  let schemaFailures = 0;
  for (const file of files) {
    const decoded = decodeUtf8(file.bytes);
    if (!decoded.ok) {
      problems.push({
        code: "not-utf8",
        severity: "error",
        message: `${file.path} is not UTF-8: ${decoded.reason} (line ${decoded.line})`,
        hint: "Save the file as UTF-8 (most editors: File > Save with Encoding > UTF-8).",
        location: { file: file.path, line: decoded.line, column: decoded.column },
      });
      continue;
    }
    const parsed = parseYamlFile(file.path, decoded.text, options.parse);
    problems.push(...parsed.problems);
    let isFixture = false;
    let isForeign = false;
    let isManifest = false;
    const nonEmpty = parsed.documents.filter((d) => d.data !== null && d.data !== undefined);
    if (nonEmpty.length === 0 && parsed.problems.length === 0) {
      problems.push({
        code: "empty-file",
        severity: "warning",
        message: `${file.path} is empty`,
        hint: "Delete it, or add `apiVersion: licensectl/v1` and some content.",
        location: { file: file.path, line: 1, column: 1 },
      });
    }
    for (const document of nonEmpty) {
      const kind = classifyDocument(document, file.named);
      if (kind.kind === "fixture") isFixture = true;
      if (kind.kind === "foreign") isForeign = true;
      if (kind.kind === "fixture" || kind.kind === "foreign") continue;
      isManifest = true;
      if (kind.kind === "invalid") {
        problems.push(kind.problem);
        continue;
      }
      const data = document.data;
      const checked = checkSchema(document);
      if (checked.problems.length > 0) {
        schemaFailures += 1;
        problems.push(...checked.problems);
      }
      valid.push({ parsed: document, manifest: withoutInvalid(data as ManifestDocument, checked.invalid) });
    }
    if (!isManifest && (isFixture || isForeign)) {
      skipped.push(file.path);
      skippedFiles.push({
        file: file.path,
        reason: isFixture
          ? "an emulator tenant fixture, not a manifest"
          : "not a licensectl manifest (no apiVersion: licensectl/v1)",
      });
    } else if (parsed.problems.length > 0 || isManifest) {
      manifestFiles.push(file.path);
      contents.push([file.path, decoded.text]);
    }
  }
  // Empty files alone are no manifest set either: validating them must fail as an empty directory does.
  if (files.length > 0 && manifestFiles.length === 0 && !hasErrors(problems)) {
    const passedOver = [
      ...skippedFiles.map((s) => `${s.file} (${s.reason})`),
      ...problems.filter((p) => p.code === "empty-file").map((p) => `${p.location!.file} (empty)`),
    ];
    problems.push({
      code: "no-manifests",
      severity: "error",
      message: `no manifests found; skipped ${passedOver.join(", ")}`,
      hint: `Manifests carry \`apiVersion: ${MANIFEST_API_VERSION}\`; point licensectl at the directory that holds them.`,
    });
  }
  const libraries = await readImportedLibraries(
    valid,
    new Set(files.map((file) => resolve(cwd, file.path))),
    cwd,
    options.parse,
  );
  problems.push(...libraries.problems);
  for (const [i, document] of valid.entries())
    if (libraries.importedManifests.has(document.parsed.file)) valid[i] = { ...document, library: true };
  valid.push(...libraries.documents);
  for (const [file, text] of libraries.files) {
    manifestFiles.push(file);
    contents.push([file, text]);
  }
  if (libraries.files.length > 0) {
    const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    manifestFiles.sort(byPath);
    contents.sort((a, b) => byPath(a[0], b[0]));
  }
  const merged = mergeDocuments(valid, manifestFiles, digestOf(contents));
  // With a file rejected by the schema, scope may simply be in that file: don't pile on.
  problems.push(...merged.problems.filter((p) => !(schemaFailures > 0 && p.code === "missing-scope")));
  return {
    state: merged.state,
    problems: orderProblems(problems),
    skipped,
    skippedFiles,
    unusedProfiles: merged.unusedProfiles,
  };
}

/**
 * Loads the manifests at `paths` (files, or directories read recursively) into
 * one DesiredState. Never throws for bad input: problems are returned, and
 * `state` is set only when none of them is an error.
 */
export async function loadManifests(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const result = await loadManifestsLeniently(paths, options);
  return hasErrors(result.problems)
    ? { problems: result.problems, skipped: result.skipped }
    : { state: result.state, problems: result.problems, skipped: result.skipped };
}
