import { constants } from "node:buffer";
import { getHeapStatistics } from "node:v8";
import type { Problem } from "../model/problem.js";

/**
 * Heap a whole-file parse takes per byte of manifest text, measured on the
 * `yaml` package (2.x): its concrete syntax tree, document nodes and the plain
 * data together peak at about 70 bytes per byte; 80 leaves room for the rest.
 */
export const WHOLE_PARSE_BYTES_PER_BYTE = 80;

/**
 * Heap a parse in pieces takes per byte at its peak (see parsePieces): the
 * data and source positions it keeps, about 17 bytes per byte, plus the
 * short-lived pieces; measured at about 20, with room to spare.
 */
export const PIECEWISE_PARSE_BYTES_PER_BYTE = 30;
/** Heap a parsed file keeps until the manifests are merged: its data and source positions. */
export const KEPT_BYTES_PER_BYTE = 20;

/** The JavaScript heap of this process: its limit and what is in use now. */
export interface HeapState {
  /** V8's heap_size_limit (raised with NODE_OPTIONS=--max-old-space-size=MiB). */
  readonly limit: number;
  readonly used: number;
}

/** The heap of this process as it is now. */
export function currentHeap(): HeapState {
  const stats = getHeapStatistics();
  return { limit: stats.heap_size_limit, used: stats.used_heap_size };
}

const MIB = 1024 * 1024;
const mib = (bytes: number): string =>
  bytes >= 1024 * MIB ? `${(bytes / 1024 / MIB).toFixed(1)} GiB` : `${Math.ceil(bytes / MIB)} MiB`;

/** What loading a file of `size` bytes costs, and what it must fit in. */
export interface FileCost {
  readonly path: string;
  readonly size: number;
  /** Heap the parse of this file needs at its peak. */
  readonly needs: number;
  /** What the other files already loaded keep, on top. */
  readonly held: number;
  /** "parsing it", "parsing it as a whole (it uses anchors)", ... for the message. */
  readonly doing: string;
}

/**
 * The problem to report when a manifest file cannot be loaded in the memory
 * this process has, or undefined when it fits. The limit is the machine's, not
 * a fixed size: V8's heap limit, and the longest string V8 can hold.
 */
export function memoryProblem(cost: FileCost, heap: HeapState): Problem | undefined {
  const location = { file: cost.path, line: 1, column: 1 };
  const split =
    "Split it into several files in one directory: they are merged, and each is parsed on its own.";
  if (cost.size > constants.MAX_STRING_LENGTH) {
    return {
      code: "file-too-large",
      severity: "error",
      message: `${cost.path} is ${mib(cost.size)}, longer than the longest string Node.js can hold (${mib(constants.MAX_STRING_LENGTH)}), so it cannot be read as text`,
      hint: split,
      location,
    };
  }
  const available = heap.limit - heap.used - cost.held;
  if (cost.needs <= available) return undefined;
  // Room for what is in use, what is held and this parse, with a quarter to spare, in steps of 256 MiB.
  const raise = Math.ceil(((heap.used + cost.held + cost.needs) * 1.25) / (256 * MIB)) * 256;
  return {
    code: "file-too-large",
    severity: "error",
    message:
      `${cost.path} is ${mib(cost.size)}; ${cost.doing} needs about ${mib(cost.needs)} of memory, ` +
      `but this process has ${mib(Math.max(0, available))} left of its ${mib(heap.limit)} heap limit`,
    hint: `${split} Or raise Node.js's heap limit, e.g. NODE_OPTIONS=--max-old-space-size=${raise} (MiB; the machine must have that much memory free).`,
    location,
  };
}
