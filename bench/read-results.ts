import { DEFAULT_READ_CONCURRENCY } from "../src/graph/read-live-state.js";
import type { SizeResult, TargetCheck } from "./results.js";

/*
 * The read's targets and table: requests against what reading page after
 * page needs, and the read at 50 ms per request at concurrency 1 and at the
 * default.
 */

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ms = (n: number | undefined): string =>
  n === undefined ? "-" : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
const n = (count: number): string => count.toLocaleString("en-US");
const label = (size: SizeResult): string =>
  `${n(size.users)}${size.groupBased ? " (group-based)" : ""} users`;

/** Read requests may exceed the sequential read's by this share: partly filled last pages and the count batches. */
export const READ_REQUEST_SLACK = 0.05;
/**
 * What the partitioned read may add to the sequential read's requests in any
 * tenant: its count batches (REFINE_LEVELS + 1) and one partly filled last
 * page per reader. With the member pages in `$batch`, a 100,000-user
 * tenant's sequential read is 112 requests, so this is what bounds it there;
 * the share above bounds the large tenants.
 */
export const READ_REQUEST_EXTRA = 3 + DEFAULT_READ_CONCURRENCY;

/** Wall-time targets of the read at 50 ms per request, at the default concurrency. */
export function latencyTargetMs(users: number): number | undefined {
  if (users >= 1_000_000) return 8_000;
  if (users >= 100_000) return 1_500;
  return undefined;
}

/** User pages (and count batches) beyond ceil(users/999): the requests the partitioned read adds. */
export function userRequests(size: SizeResult): number {
  return size.counters.requests - (size.host.expectedReadRequests - Math.ceil(size.users / 999));
}

export function readTargets(sizes: readonly SizeResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const size of sizes) {
    const expected = size.host.expectedReadRequests;
    const bound = Math.max(Math.ceil(expected * (1 + READ_REQUEST_SLACK)), expected + READ_REQUEST_EXTRA);
    const got = size.counters.requests;
    checks.push({
      target: `read requests of ${label(size)} <= ${bound} (${expected} read page after page, + ${READ_REQUEST_SLACK * 100}% or + ${READ_REQUEST_EXTRA}: 3 count batches and a partly filled page per reader)`,
      measured: `${got} (client sent ${size.client.requests}; users: ${userRequests(size)} for ceil(users/999) = ${Math.ceil(size.users / 999)})`,
      // The client may count a few more than arrived: sends retried after a dropped connection.
      pass: got <= bound && size.client.requests <= bound,
    });
    const sequential = size.latencySequential;
    if (sequential) {
      checks.push({
        target: `read requests of ${label(size)} at read concurrency 1 = ${expected}`,
        measured: `${sequential.httpRequests}`,
        pass: sequential.httpRequests === expected,
      });
    }
  }
  for (const size of sizes) {
    const { latencyMs, client } = size.latency;
    const wall = client.phases.read?.wallMs ?? Infinity;
    const target = latencyTargetMs(size.users);
    const sequential = size.latencySequential;
    if (sequential) {
      // Page after page, each round trip waits for the one before and for the parse of its page: the
      // read costs its round trips plus the client's own time, and nothing more.
      const seqRead = sequential.client.phases.read;
      const seqWall = seqRead?.wallMs ?? Infinity;
      const seqCpu = seqRead?.cpuMs ?? 0;
      const bound = 1.1 * (sequential.httpRequests * latencyMs + seqCpu);
      checks.push({
        target: `read of ${label(size)} at ${latencyMs} ms/request, concurrency 1 <= 1.1 x (${sequential.httpRequests} x ${latencyMs} ms + the client's CPU time)`,
        measured: `${s(seqWall)} (bound ${s(bound)}, CPU ${s(seqCpu)})`,
        pass: seqWall <= bound,
      });
    }
    if (target !== undefined) {
      checks.push({
        target: `read of ${label(size)} at ${latencyMs} ms/request, concurrency ${client.readConcurrency} <= ${s(target)}`,
        measured:
          `${s(wall)}` +
          (sequential
            ? ` (${((sequential.client.phases.read?.wallMs ?? 0) / wall).toFixed(1)}x faster than concurrency 1)`
            : "") +
          (client.readRestarted ? `; read again page after page: ${client.readRestarted}` : ""),
        pass: wall <= target && client.readRestarted === undefined,
      });
    }
  }
  for (const size of sizes.filter((x) => x.groupBased)) {
    const rss = Math.max(size.cli.peakRssMb, size.client.peakRssMb);
    checks.push({
      target: `peak RSS of ${label(size)}, licensectl plan end to end and the measured client <= 1 GB`,
      measured: `${Math.round(size.cli.peakRssMb)} MB end to end, ${Math.round(size.client.peakRssMb)} MB client`,
      pass: rss <= 1024,
    });
  }
  return checks;
}

const route = (size: SizeResult, key: string): number => size.counters.byRoute[key] ?? 0;

/** The requests table: by kind, against reading page after page, and the read at latency. */
export function renderReadTable(sizes: readonly SizeResult[]): string[] {
  const lines = [
    "Graph requests of the read at the default read concurrency, by kind (HTTP requests, except GET /users and the member pages, which count the requests inside `$batch` too; one `$batch` carries `/organization` and `/subscribedSkus`, others count user ranges, the rest carry member pages), against reading page after page (read concurrency 1), and the read alone against an emulator adding 50 ms to every request:",
    "",
    "| Users | GET /users | GET /groups | POST /$batch | member pages (in `$batch`) | Total | Page after page | User requests / ceil(users/999) | Read at 50 ms, concurrency 1 | Read at 50 ms, default |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const size of sizes) {
    const seq = size.latencySequential;
    lines.push(
      `| ${label(size)} | ${route(size, "GET /users")} | ${route(size, "GET /groups")} | ${route(size, "POST /$batch")} | ${route(size, "GET /groups/{id}/members/microsoft.graph.user")} (in ${size.host.expectedMemberBatches}) | ${size.counters.requests} | ${size.host.expectedReadRequests} | ${userRequests(size)} / ${Math.ceil(size.users / 999)} | ${seq ? ms(seq.client.phases.read?.wallMs) : "not run"} | ${ms(size.latency.client.phases.read?.wallMs)} (x${size.latency.client.readConcurrency}) |`,
    );
  }
  return lines;
}
