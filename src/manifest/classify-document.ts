import type { Problem } from "../model/problem.js";
import { closestMatches, didYouMean } from "../util/suggest.js";
import { EMULATOR_FIXTURE_API_VERSION, MANIFEST_API_VERSION } from "./manifest-document.js";
import { locate, type ParsedDocument } from "./yaml-source.js";

/** Top-level keys only a manifest has: a file with one of them is a manifest that lost its apiVersion. */
const MANIFEST_KEYS = ["imports", "tenant", "scope", "protect", "limits", "profiles", "groups", "users"];

/** What a YAML document is, as far as licensectl is concerned. */
export type DocumentKind =
  | { readonly kind: "manifest" }
  | { readonly kind: "fixture" }
  /** Some other YAML (a CI workflow, a Kubernetes object) met while reading a directory. */
  | { readonly kind: "foreign" }
  | { readonly kind: "invalid"; readonly problem: Problem };

/**
 * Tells manifests from emulator fixtures and other YAML. A file named on the
 * command line must be a manifest (or a fixture); in a directory, YAML that
 * neither carries a licensectl apiVersion nor any manifest key is someone
 * else's file and is skipped, so `validate .` works in a repository root.
 */
export function classifyDocument(document: ParsedDocument, named: boolean): DocumentKind {
  const data = document.data;
  const isMapping = typeof data === "object" && data !== null && !Array.isArray(data);
  const apiVersion = isMapping ? (data as Record<string, unknown>).apiVersion : undefined;
  if (apiVersion === EMULATOR_FIXTURE_API_VERSION) return { kind: "fixture" };
  if (apiVersion === MANIFEST_API_VERSION) return { kind: "manifest" };
  const looksLikeManifest =
    (isMapping && MANIFEST_KEYS.some((key) => key in (data as object))) ||
    (typeof apiVersion === "string" && apiVersion.toLowerCase().startsWith("licensectl"));
  if (!named && !looksLikeManifest) return { kind: "foreign" };
  const file = document.file;
  if (!isMapping) {
    return {
      kind: "invalid",
      problem: {
        code: "not-a-mapping",
        severity: "error",
        message: `a manifest must be a mapping of keys (apiVersion, tenant, scope, users, ...), found ${Array.isArray(data) ? "a list" : "a scalar"}`,
        hint: `Start the file with \`apiVersion: ${MANIFEST_API_VERSION}\` and put users under \`users:\`.`,
        location: locate(document, []),
      },
    };
  }
  if (apiVersion === undefined) {
    return {
      kind: "invalid",
      problem: {
        code: "missing-api-version",
        severity: "error",
        message: `${file} has no apiVersion, so licensectl cannot tell what it is`,
        hint: `Add \`apiVersion: ${MANIFEST_API_VERSION}\` as the first line (emulator tenant fixtures use ${EMULATOR_FIXTURE_API_VERSION}).`,
        location: locate(document, []),
      },
    };
  }
  const suggestion = didYouMean(
    closestMatches(String(apiVersion), [MANIFEST_API_VERSION, EMULATOR_FIXTURE_API_VERSION]),
  );
  return {
    kind: "invalid",
    problem: {
      code: "unknown-api-version",
      severity: "error",
      message: `apiVersion "${String(apiVersion)}" is not one licensectl knows`,
      hint: `${suggestion ? `${suggestion} ` : ""}Manifests use \`apiVersion: ${MANIFEST_API_VERSION}\`.`,
      location: locate(document, ["apiVersion"]),
    },
  };
}
