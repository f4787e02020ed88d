import type { GraphConnection } from "./create-graph-client.js";
import { graphFailure } from "./graph-errors.js";

interface Page<T> {
  readonly value?: readonly T[];
  readonly "@odata.nextLink"?: string;
}

/**
 * GETs `firstUrl` and every `@odata.nextLink` after it (verbatim), handing
 * each item to `onItem` as it arrives so large tenants are never copied
 * page by page. Returns the number of pages (= requests, before SDK retries).
 */
export async function collectPages<T>(
  connection: GraphConnection,
  firstUrl: string,
  onItem: (item: T) => void,
  onPage?: (itemsSoFar: number) => void,
): Promise<number> {
  let url: string | undefined = firstUrl;
  let pages = 0;
  let items = 0;
  while (url !== undefined) {
    const response = await connection.send({ method: "GET", url });
    if (response.status < 200 || response.status >= 300) {
      throw graphFailure("GET", url, response.status, response.body);
    }
    pages += 1;
    const page = (response.body ?? {}) as Page<T>;
    const value = page.value ?? [];
    for (const item of value) onItem(item);
    items += value.length;
    onPage?.(items);
    const next = page["@odata.nextLink"];
    url = typeof next === "string" && next !== "" ? next : undefined;
  }
  return pages;
}
