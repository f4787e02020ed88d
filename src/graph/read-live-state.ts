import { LicensectlError } from "../model/errors.js";
import type { LiveGroup, LiveSku, LiveState, LiveTenant } from "../model/live-state.js";
import { runBatchItems } from "./batch-runner.js";
import type { GraphConnection } from "./create-graph-client.js";
import { graphFailure } from "./graph-errors.js";
import { collectPagesInBatches } from "./batched-pages.js";
import {
  normalizeGroup,
  normalizeSku,
  normalizeTenant,
  type RawGroup,
  type RawOrganization,
  type RawSku,
} from "./normalize-live-state.js";
import { collectPages, realSleep, type PagingOptions } from "./paging.js";
import { readUsers } from "./partitioned-user-read.js";

/** Largest page Graph serves for users and groups. */
export const PAGE_SIZE = 999;
/**
 * `$batch` requests of member pages in flight at once: 4 x 20 pages, so a
 * tenant's 160 licensed groups are read in two round trips. A page of
 * members with `$select` costs 2 resource units, so even 644 pages (the
 * groups of a 1,000,000-user tenant) use 1,288 of the 8,000 per 10 s.
 */
export const MEMBER_BATCH_CONCURRENCY = 4;
/**
 * User ranges read at the same time by default. Each range is read page
 * after page, so the read of a large tenant takes about (its pages / the
 * ranges) round trips: 100,000 users (101 pages) in 7, 1,000,000 users
 * (1,002 pages) in 63. Within Graph's limits: a page of users with
 * `$select` costs 1 resource unit, and even at 50 ms per page 16 ranges in
 * flight use 320 units per second, 3,200 of the 8,000 per 10 s Graph gives
 * an app in a large tenant (Microsoft Graph service-specific throttling
 * limits, "Identity and access service limits"), leaving room for the
 * member reads beside them (MEMBER_BATCH_CONCURRENCY).
 */
export const DEFAULT_READ_CONCURRENCY = 16;

export const USER_SELECT =
  "id,userPrincipalName,displayName,usageLocation,assignedLicenses,licenseAssignmentStates,accountEnabled,department";
export const GROUP_SELECT =
  "id,displayName,mailNickname,securityEnabled,assignedLicenses,licenseProcessingState";

/** Progress of the read, for a bar or CI lines: `done` counts users, groups, groups whose members are read, or tenant requests. */
export interface ReadProgressEvent {
  readonly phase: "tenant" | "users" | "groups" | "members";
  readonly done: number;
  /** Pages (GET requests) of this phase answered so far. */
  readonly pages?: number;
  /** What the phase will reach, when Graph's count or the partitions know it. */
  readonly total?: number;
  /** Users only: why a partitioned read is being redone page after page. */
  readonly restarted?: string;
}

/** Options of readLiveState. */
export interface ReadLiveStateOptions {
  /** Groups the manifests name (id, displayName or mailNickname); their members are read even when unlicensed. */
  readonly groupRefs?: readonly string[];
  /** Called as users and groups are read, for a progress line. */
  readonly onProgress?: (event: ReadProgressEvent) => void;
  /** `userPrincipalName` ranges read at once (default DEFAULT_READ_CONCURRENCY); 1 reads `/users` page after page. */
  readonly readConcurrency?: number;
  /** Waits before retries (default: real time); tests inject an instant one. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
}

/**
 * Reads the whole licensing state of the tenant: one `$batch` for
 * /organization and /subscribedSkus, users and groups in pages of 999, then
 * the user members of every licensed or named group. The three reads run
 * concurrently; the first member pages of all groups go 20 to a `$batch`,
 * then the next pages of larger groups, round by round. Users
 * are read in `userPrincipalName` ranges, `readConcurrency` at once, after
 * one `$batch` of counts (a second and third where a range is too large),
 * and the read is proved complete against Graph's count (see readUsers).
 * HTTP requests = sum over ranges of ceil(users/999) + ceil(groups/999) +
 * 1 + count batches + member batches; with `readConcurrency: 1`,
 * ceil(users/999) + ceil(groups/999) + 1 + member batches, where member
 * batches = the sum over rounds r of ceil(groups with an r-th page / 20).
 */
export async function readLiveState(
  connection: GraphConnection,
  options: ReadLiveStateOptions = {},
): Promise<LiveState> {
  const read: ReadContext = {
    connection,
    progress: options.onProgress,
    readConcurrency: Math.max(1, Math.floor(options.readConcurrency ?? DEFAULT_READ_CONCURRENCY)),
    paging: { sleep: options.sleep ?? realSleep, random: options.random ?? Math.random },
  };
  const [tenantAndSkus, users, groups] = await Promise.all([
    readTenantAndSkus(read),
    readUsers(read.connection, {
      concurrency: read.readConcurrency,
      pageSize: PAGE_SIZE,
      select: USER_SELECT,
      paging: read.paging,
      onProgress: ({ users, pages, total, restarted }) =>
        read.progress?.({
          phase: "users",
          done: users,
          pages,
          ...(total !== undefined ? { total } : {}),
          ...(restarted !== undefined ? { restarted } : {}),
        }),
    }),
    readGroupsWithMembers(read, options.groupRefs ?? []),
  ]);
  return { tenant: tenantAndSkus.tenant, skus: tenantAndSkus.skus, users, groups };
}

interface ReadContext {
  readonly connection: GraphConnection;
  readonly progress: ((event: ReadProgressEvent) => void) | undefined;
  readonly readConcurrency: number;
  readonly paging: Required<Pick<PagingOptions, "sleep" | "random">>;
}

/** How long the tenant/SKU batch may keep retrying throttled answers. */
const TENANT_READ_RETRY_MS = 5 * 60_000;

async function readTenantAndSkus({ connection, progress, paging }: ReadContext): Promise<{
  tenant: LiveTenant;
  skus: LiveSku[];
}> {
  const organizationUrl = "/organization?$select=id,displayName,countryLetterCode";
  const skusUrl = "/subscribedSkus";
  const [organization, subscribedSkus] = await runBatchItems(
    connection,
    [
      { id: "organization", method: "GET", url: organizationUrl },
      { id: "subscribedSkus", method: "GET", url: skusUrl },
    ],
    { concurrency: 1, maxRetryTimeMs: TENANT_READ_RETRY_MS, ...paging },
  );
  for (const [result, url] of [
    [organization!, organizationUrl],
    [subscribedSkus!, skusUrl],
  ] as const) {
    if (result.error !== undefined) throw graphFailure("GET", url, result.status, { error: result.error });
  }
  const org = (organization!.body as { value?: RawOrganization[] } | undefined)?.value?.[0];
  if (org === undefined) {
    throw new LicensectlError("graph-unexpected", "GET /organization returned no organization", {
      hint: "The signed-in identity must belong to a tenant; check --tenant-id.",
    });
  }
  const skuPage = (subscribedSkus!.body ?? {}) as { value?: RawSku[]; "@odata.nextLink"?: string };
  const skus = (skuPage.value ?? []).map(normalizeSku);
  const next = skuPage["@odata.nextLink"];
  if (typeof next === "string" && next !== "") {
    await collectPages(connection, next, (raw: RawSku) => skus.push(normalizeSku(raw)), paging);
  }
  progress?.({ phase: "tenant", done: 1 });
  return { tenant: normalizeTenant(org), skus };
}

async function readGroupsWithMembers(
  { connection, progress, paging }: ReadContext,
  groupRefs: readonly string[],
): Promise<LiveGroup[]> {
  const raws: RawGroup[] = [];
  let groupPages = 0;
  await collectPages(
    connection,
    `/groups?$select=${GROUP_SELECT}&$top=${PAGE_SIZE}`,
    (raw: RawGroup) => raws.push(raw),
    {
      ...paging,
      onPage: (done) => progress?.({ phase: "groups", done, pages: (groupPages += 1) }),
    },
  );
  const refs = new Set(groupRefs.map((ref) => ref.toLowerCase()));
  const named = (raw: RawGroup): boolean =>
    refs.size > 0 &&
    (refs.has(raw.id.toLowerCase()) ||
      (raw.displayName != null && refs.has(raw.displayName.toLowerCase())) ||
      (raw.mailNickname != null && refs.has(raw.mailNickname.toLowerCase())));
  const needMembers = raws.filter((raw) => (raw.assignedLicenses?.length ?? 0) > 0 || named(raw));

  const members = needMembers.map((): string[] => []);
  let groupsDone = 0;
  await collectPagesInBatches(
    connection,
    needMembers.map(
      (raw) =>
        `/groups/${encodeURIComponent(raw.id)}/members/microsoft.graph.user?$select=id&$top=${PAGE_SIZE}`,
    ),
    (index, page: readonly { id: string }[]) => {
      const ids = members[index]!;
      for (const member of page) ids.push(member.id.toLowerCase());
    },
    {
      concurrency: MEMBER_BATCH_CONCURRENCY,
      paging,
      onCollectionDone: () => {
        groupsDone += 1;
        progress?.({ phase: "members", done: groupsDone, total: needMembers.length });
      },
    },
  );
  const membersOf = new Map(needMembers.map((raw, index) => [raw, members[index]!]));
  return raws.map((raw) => normalizeGroup(raw, membersOf.get(raw)));
}
