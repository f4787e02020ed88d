import type { ErrorObject } from "ajv/dist/2020.js";
import type { Problem } from "../model/problem.js";
import { closestMatches, didYouMean } from "../util/suggest.js";
import { countryCodeHint } from "./country-codes.js";
import { manifestSchema, type ManifestSchema, type SchemaNode } from "./manifest-schema.js";
import { locate, type ParsedDocument, type PathSegment } from "./yaml-source.js";

/** An ajv error, or one licensectl makes when a value fits several branches of a oneOf. */
interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
  readonly data?: unknown;
  readonly parentSchema?: SchemaNode;
  readonly schema?: unknown;
  readonly propertyName?: string;
  /** Description of the oneOf this error was chosen from, to explain the expected forms. */
  readonly alternatives?: string;
}

function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let node = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment: PathSegment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  return path;
}

function label(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path)
    text += typeof segment === "number" ? `[${segment}]` : text ? `.${segment}` : segment;
  return text || "the manifest";
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  null: "empty",
};

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value === "number" ? "the number" : "the value"} ${String(value)}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Replaces the errors of a failed oneOf/anyOf by those of the branch the value
 * was most likely meant to be (the one whose keys it uses), so the user reads
 * "unknown key skus" instead of every branch's complaints.
 */
function chooseBranches(errors: readonly SchemaError[], schema: ManifestSchema): SchemaError[] {
  const alternatives = errors
    .filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf")
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  let result = [...errors];
  const handled: string[] = [];
  for (const choice of alternatives) {
    const at = choice.instancePath;
    if (handled.some((p) => at === p || at.startsWith(`${p}/`))) continue;
    handled.push(at);
    result = result.filter((e) => e.instancePath !== at && !e.instancePath.startsWith(`${at}/`));
    const branches = (Array.isArray(choice.schema) ? choice.schema : []) as SchemaNode[];
    const description = choice.parentSchema?.description;
    const data = choice.data;
    const candidates = branches.map((branch, index) => {
      const resolved = schema.resolve(branch);
      const validate = branch.$ref ? schema.validatorFor(branch.$ref) : undefined;
      const raw = validate && !validate(data) ? ((validate.errors ?? []) as SchemaError[]) : [];
      const rebased = raw.map((e) => ({ ...e, instancePath: at + e.instancePath }));
      const own = chooseBranches(rebased, schema);
      const keys = isObject(data) ? Object.keys(data) : [];
      const known = keys.filter((k) => resolved.properties?.[k] !== undefined).length;
      const complete = isObject(data) && (resolved.required ?? []).every((k) => k in data);
      return { index, errors: own, known, complete, required: resolved.required ?? [] };
    });
    const complete = candidates.filter((c) => c.complete);
    if (complete.length > 1) {
      const keys = complete.flatMap((c) => c.required.map((k) => `"${k}"`));
      result.push({
        keyword: "oneOfSeveral",
        instancePath: at,
        params: { keys },
        data,
        message: `uses ${keys.join(" and ")} together`,
        ...(description ? { alternatives: description } : {}),
      });
      continue;
    }
    candidates.sort((a, b) => b.known - a.known || a.errors.length - b.errors.length || a.index - b.index);
    const best = candidates[0];
    if (!best) continue;
    for (const e of best.errors)
      result.push(e.instancePath === at && description ? { ...e, alternatives: description } : e);
  }
  return result;
}

function toProblem(error: SchemaError, parsed: ParsedDocument): Problem {
  const path = pointerToPath(error.instancePath, parsed.data);
  const where = label(path);
  const parent = error.parentSchema;
  const also = error.alternatives ? ` Expected: ${error.alternatives}` : "";
  const base = { severity: "error" as const, location: locate(parsed, path) };
  switch (error.keyword) {
    case "required": {
      const key = String(error.params.missingProperty);
      const description = parent?.properties?.[key]?.description;
      return {
        ...base,
        code: "missing-key",
        message: `${where} is missing the required key "${key}"`,
        hint: `Add "${key}:"${description ? ` (${description})` : "."}${also}`,
      };
    }
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const suggestion = didYouMean(closestMatches(key, allowed));
      return {
        ...base,
        code: "unknown-key",
        message: `unknown key "${key}" in ${where}`,
        hint: `${suggestion ? `${suggestion} ` : ""}Allowed keys here: ${allowed.join(", ")}.`,
        location: locate(parsed, [...path, key], "key"),
      };
    }
    case "type": {
      const expected = String(error.params.type)
        .split(",")
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(" or ");
      const hint =
        error.alternatives && typeof error.data === "string"
          ? `Write "- sku: ${error.data}" (or "- profile: ${error.data}").${also}`
          : `${parent?.description ?? `Write ${expected} here.`}${also}`;
      return {
        ...base,
        code: "wrong-type",
        message: `${where} must be ${expected}, found ${describeValue(error.data)}`,
        hint,
      };
    }
    case "enum":
    case "const": {
      const allowed = (
        error.keyword === "enum" ? (error.params.allowedValues as unknown[]) : [error.params.allowedValue]
      ).map(String);
      const suggestion =
        typeof error.data === "string" ? didYouMean(closestMatches(error.data, allowed)) : "";
      return {
        ...base,
        code: "invalid-value",
        message: `${where} is ${describeValue(error.data)}, which is not allowed`,
        hint: `${suggestion ? `${suggestion} ` : ""}Allowed: ${allowed.join(", ")}.`,
      };
    }
    case "pattern": {
      const last = path.at(-1);
      const isLocation =
        (last === "usageLocation" || last === "defaultUsageLocation") && typeof error.data === "string";
      return {
        ...base,
        code: isLocation ? "invalid-usage-location" : "invalid-value",
        message: `${where} is ${describeValue(error.data)}, which is not valid here`,
        hint: isLocation
          ? countryCodeHint(error.data as string)
          : (parent?.description ?? `It must match ${String(error.params.pattern)}.`),
      };
    }
    case "propertyNames": {
      const name = String(error.params.propertyName);
      const names = parent?.propertyNames as SchemaNode | undefined;
      return {
        ...base,
        code: "invalid-name",
        message: `"${name}" is not a valid name in ${where}`,
        hint: (names && manifestSchema().resolve(names).description) ?? "Rename it.",
        location: locate(parsed, [...path, name], "key"),
      };
    }
    case "oneOfSeveral":
      return {
        ...base,
        code: "ambiguous-entry",
        message: `${where} ${error.message ?? "matches several forms"}`,
        hint: `Split it into separate entries.${also}`,
      };
    default:
      return {
        ...base,
        code: "invalid-value",
        message: `${where} ${error.message ?? "is not valid"}`,
        ...(parent?.description ? { hint: parent.description } : {}),
      };
  }
}

/** A typo'd key reads as "unknown key skus" and "missing key sku": keep the first, which says both. */
function dropMisspelledRequired(errors: readonly SchemaError[]): SchemaError[] {
  const misspelled = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== "additionalProperties") continue;
    const allowed = Object.keys(e.parentSchema?.properties ?? {});
    const best = closestMatches(String(e.params.additionalProperty), allowed)[0];
    if (best) misspelled.add(`${e.instancePath}|${best}`);
  }
  return errors.filter(
    (e) =>
      !(e.keyword === "required" && misspelled.has(`${e.instancePath}|${String(e.params.missingProperty)}`)),
  );
}

/** Result of checking one document against the schema. */
export interface SchemaCheck {
  /** Located, de-duplicated, position-sorted. */
  readonly problems: Problem[];
  /**
   * The entries that hold errors (a section such as `scope`, or `users[3]`,
   * `profiles.office`), so the rest of the document can still be merged and checked.
   */
  readonly invalid: readonly (readonly PathSegment[])[];
}

/** Checks one manifest document against schemas/manifest.schema.json. */
export function checkSchema(parsed: ParsedDocument): SchemaCheck {
  const schema = manifestSchema();
  if (schema.validate(parsed.data)) return { problems: [], invalid: [] };
  const raw = (schema.validate.errors ?? []) as ErrorObject[] as SchemaError[];
  // ajv reports a bad property name twice: the name's own pattern error and the propertyNames error.
  const cleaned = dropMisspelledRequired(
    chooseBranches(
      raw.filter((e) => e.propertyName === undefined),
      schema,
    ),
  );
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const invalid: PathSegment[][] = [];
  for (const error of cleaned) {
    const problem = toProblem(error, parsed);
    const key = `${problem.location?.line}:${problem.location?.column}:${problem.message}`;
    const path = pointerToPath(error.instancePath, parsed.data);
    const depth = ["users", "groups", "profiles", "prices"].includes(String(path[0])) ? 2 : 1;
    if (path.length > 0) invalid.push(path.slice(0, depth));
    else if (error.keyword === "propertyNames") invalid.push(["profiles"]);
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  problems.sort((a, b) => a.location!.line - b.location!.line || a.location!.column - b.location!.column);
  return { problems, invalid };
}
