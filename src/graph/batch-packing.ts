import type { WriteOperation } from "./write-operations.js";

/** Graph's limit on requests inside one `$batch` ("Combine multiple HTTP requests using JSON batching", https://learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH_SIZE = 20;

/** One request inside a `$batch`: the JSON shape Graph expects, minus dependsOn (licensectl never chains). */
export interface BatchItem {
  readonly id: string;
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Relative to /v1.0, starting with "/". */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const JSON_HEADERS: Readonly<Record<string, string>> = { "Content-Type": "application/json" };

/**
 * The batch request for one write. assignLicense always carries both arrays
 * (Graph rejects a body missing either); a body needs a Content-Type header.
 */
export function toBatchItem(operation: WriteOperation): BatchItem {
  if (operation.kind === "assignLicense") {
    const collection = operation.target.kind === "user" ? "users" : "groups";
    return {
      id: operation.id,
      method: "POST",
      url: `/${collection}/${encodeURIComponent(operation.target.id)}/assignLicense`,
      headers: JSON_HEADERS,
      body: {
        addLicenses: operation.body.addLicenses.map((license) => ({
          skuId: license.skuId,
          disabledPlans: [...license.disabledPlans],
        })),
        removeLicenses: [...operation.body.removeLicenses],
      },
    };
  }
  return {
    id: operation.id,
    method: "PATCH",
    url: `/users/${encodeURIComponent(operation.userId)}`,
    headers: JSON_HEADERS,
    body: { usageLocation: operation.usageLocation },
  };
}

/** Splits items into consecutive groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number = MAX_BATCH_SIZE): T[][] {
  if (size < 1) throw new RangeError("chunk size must be at least 1");
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The `$batch` POST body for up to 20 independent items. */
export function batchRequestBody(items: readonly BatchItem[]): { requests: BatchItem[] } {
  if (items.length > MAX_BATCH_SIZE)
    throw new RangeError(`a $batch holds at most ${MAX_BATCH_SIZE} requests`);
  return { requests: items.map((item) => ({ ...item })) };
}

/** Batch ids are compared case-insensitively by Graph; a duplicate fails the whole batch. */
export function findDuplicateIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    const key = id.toLowerCase();
    if (seen.has(key)) duplicates.add(id);
    seen.add(key);
  }
  return [...duplicates];
}
