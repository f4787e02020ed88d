import { LicensectlError } from "../model/errors.js";
import type { LiveUser } from "../model/live-state.js";
import type { GraphConnection } from "./create-graph-client.js";
import { graphFailure } from "./graph-errors.js";
import { getWithRetry, type PagingOptions } from "./paging.js";
import type { DecodedUserPage, UserPageDecoder } from "./user-page-pool.js";

const NEXT_LINK_KEY = '"@odata.nextLink":"';
/** Graph writes @odata.nextLink before the page's value: it is in the first bytes. */
const HEAD_BYTES = 4096;

/**
 * The page's @odata.nextLink read from its first bytes, before the page is
 * parsed, so that the next request need not wait for the parse. Undefined
 * when it is not there as a top-level key written plainly (after "value",
 * escaped, or beyond the first bytes): the caller then waits for the parse.
 */
export function leadingNextLink(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEAD_BYTES)).toString(
    "latin1",
  );
  const at = head.indexOf(NEXT_LINK_KEY);
  const value = head.indexOf('"value":');
  if (at < 0 || (value >= 0 && value < at)) return undefined;
  const start = at + NEXT_LINK_KEY.length;
  const end = head.indexOf('"', start);
  if (end < 0) return undefined;
  const link = head.slice(start, end);
  // Escapes or non-ASCII would need JSON's decoding: leave those to the parse.
  return /^[\x20-\x7e]*$/.test(link) && !link.includes("\\") ? link : undefined;
}

/** Held around each request, to share a limit on requests in flight. */
export interface RequestGate {
  enter(): Promise<void>;
  leave(): void;
}

/**
 * GETs `firstUrl` and every nextLink after it, handing each page's bytes to
 * `decoder` and, when it parses in another thread, requesting the next page
 * while it does. `onPage` sees each page's users as they are parsed (in any
 * order across threads); the result holds each page's users, in page order.
 */
export async function readDecodedPages(
  connection: GraphConnection,
  firstUrl: string,
  decoder: UserPageDecoder,
  paging: PagingOptions,
  onPage: (users: readonly LiveUser[]) => void,
  gate?: RequestGate,
): Promise<(readonly LiveUser[])[]> {
  const pages: Promise<DecodedUserPage>[] = [];
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    await gate?.enter();
    let response;
    try {
      response = await getWithRetry(connection, url, { ...paging, raw: true });
    } finally {
      gate?.leave();
    }
    if (response.status < 200 || response.status >= 300) {
      throw graphFailure("GET", url, response.status, response.body);
    }
    const bytes = response.body instanceof Uint8Array ? response.body : new Uint8Array(0);
    const early = decoder.inThread ? undefined : leadingNextLink(bytes);
    await decoder.ready();
    const page = decoder.decode(bytes).then((decoded) => {
      if (early !== undefined && decoded.nextLink !== early) {
        throw new LicensectlError(
          "graph-unexpected",
          `Graph's page of users names two different next pages: ${early} and ${decoded.nextLink ?? "none"}`,
          { hint: "Run again with --read-concurrency 1 (one page after another)." },
        );
      }
      onPage(decoded.users);
      return decoded;
    });
    // Awaited below; marked handled now, so a failing parse never goes unobserved meanwhile.
    page.catch(() => undefined);
    pages.push(page);
    url = early ?? (await page).nextLink;
  }
  return (await Promise.all(pages)).map((page) => page.users);
}
