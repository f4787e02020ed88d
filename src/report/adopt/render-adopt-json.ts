import type { AdoptionResult } from "../../model/adopt.js";
import { describeItem, describeSkip } from "./describe-adoption.js";

/**
 * `adopt --format json`: per file, the RFC 6902 operations on its data
 * (`/users/3/licenses/0` ...; with several YAML documents in a file, the
 * first segment is the document's index) and the edits with their drift items.
 * `schemas/adopt.schema.json` documents the format.
 */
export function renderAdoptJson(result: AdoptionResult): string {
  return `${JSON.stringify(
    {
      formatVersion: result.formatVersion,
      tenant: result.tenant,
      files: result.files.map((file) => ({
        path: file.path,
        operations: file.operations,
        edits: file.edits.map((edit) => ({
          ...edit,
          items: edit.items.map((item) => ({ ...item, message: describeItem(item) })),
        })),
      })),
      skipped: result.skipped.map((skip) => ({ ...skip, message: describeSkip(skip) })),
    },
    null,
    2,
  )}\n`;
}
