import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { ManifestDocument } from "./manifest-document.js";

/** schemas/manifest.schema.json, shipped with the package. */
export const MANIFEST_SCHEMA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "schemas",
  "manifest.schema.json",
);

/** A JSON Schema node, as far as licensectl reads it. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly description?: string;
  readonly type?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly items?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly [keyword: string]: unknown;
}

export interface ManifestSchema {
  readonly schema: SchemaNode;
  readonly validate: ValidateFunction<ManifestDocument>;
  /** A validator of the subschema a `$ref` (e.g. `#/$defs/skuLicense`) points at. */
  validatorFor(ref: string): ValidateFunction;
  /** The subschema a local `$ref` points at, following `$ref`s. */
  resolve(node: SchemaNode): SchemaNode;
}

let cached: ManifestSchema | undefined;

/** The manifest schema compiled with ajv (draft 2020-12), loaded once. */
export function manifestSchema(): ManifestSchema {
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(MANIFEST_SCHEMA_PATH, "utf8")) as SchemaNode;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
  ajv.addSchema(schema, "manifest");
  const validate = ajv.getSchema<ManifestDocument>("manifest")!;
  const resolve = (node: SchemaNode): SchemaNode => {
    let current = node;
    for (let depth = 0; current.$ref && depth < 10; depth++) {
      const parts = current.$ref.replace(/^#\//, "").split("/");
      let next: unknown = schema;
      for (const part of parts) next = (next as Record<string, unknown> | undefined)?.[part];
      if (!next) break;
      current = next as SchemaNode;
    }
    return current;
  };
  cached = {
    schema,
    validate,
    validatorFor: (ref) => ajv.getSchema(`manifest${ref}`)!,
    resolve,
  };
  return cached;
}
