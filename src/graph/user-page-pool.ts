import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { LicensectlError } from "../model/errors.js";
import type { LiveUser } from "../model/live-state.js";
import { UserPageExpander, type CompactUserPage } from "./compact-user-page.js";
import { UserNormalizer, type RawUser } from "./normalize-live-state.js";

/** A page handed to a worker: its bytes are transferred, not copied. */
export interface PageJob {
  readonly id: number;
  readonly bytes: Uint8Array;
}

/** A worker's answer to a PageJob. */
export type PageAnswer =
  { readonly id: number; readonly page: CompactUserPage } | { readonly id: number; readonly error: string };

/** A page of users, parsed and normalised. */
export interface DecodedUserPage {
  readonly users: readonly LiveUser[];
  readonly nextLink?: string;
}

/** Parses the pages of one read's users: in worker threads, or in this one. */
export interface UserPageDecoder {
  /** Parses in this thread: nothing runs beside the parse, so the next request may as well wait for it. */
  readonly inThread: boolean;
  /** Resolves once another page may be handed over: bounds the bytes waiting to be parsed. */
  ready(): Promise<void>;
  decode(bytes: Uint8Array): Promise<DecodedUserPage>;
  close(): Promise<void>;
}

const notJson = (reason: string): LicensectlError =>
  new LicensectlError("graph-unexpected", `Graph answered a page of users that is not JSON: ${reason}`, {
    hint: "Run again; if it persists against Microsoft Graph, report it with --verbose output.",
  });

/** Parses in this thread, page by page (small reads, or where no worker script is built). */
export function inlineDecoder(): UserPageDecoder {
  const normalizer = new UserNormalizer();
  const text = new TextDecoder();
  return {
    inThread: true,
    ready: () => Promise.resolve(),
    decode: (bytes) => {
      let page: { value?: readonly RawUser[]; "@odata.nextLink"?: unknown };
      try {
        page = JSON.parse(text.decode(bytes)) as typeof page;
      } catch (error) {
        return Promise.reject(notJson((error as Error).message));
      }
      const next = page["@odata.nextLink"];
      return Promise.resolve({
        users: (page.value ?? []).map((raw) => normalizer.normalize(raw)),
        ...(typeof next === "string" && next !== "" ? { nextLink: next } : {}),
      });
    },
    close: () => Promise.resolve(),
  };
}

/** The worker's script, beside this module once built (tests of the sources run without it). */
const WORKER_SCRIPT = new URL("./user-page-worker.js", import.meta.url);
/** Pages waiting for or in a worker, per worker: enough to keep it busy, little memory. */
const QUEUED_PER_WORKER = 4;
/** Workers beside the main thread, which keeps the requests and builds the users. */
const MAX_WORKERS = 3;

/** Whether worker threads can parse here: the built worker script exists. */
export function workersAvailable(): boolean {
  return WORKER_SCRIPT.protocol === "file:" && existsSync(fileURLToPath(WORKER_SCRIPT));
}

interface Lane {
  readonly worker: Worker;
  readonly expander: UserPageExpander;
  queued: number;
}

interface Waiting {
  readonly lane: Lane;
  readonly resolve: (page: DecodedUserPage) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Parses pages in worker threads (one per spare core, at most MAX_WORKERS):
 * the main thread keeps the requests going and only rebuilds users from the
 * compact pages. A worker that fails fails every page it holds.
 */
export class UserPagePool implements UserPageDecoder {
  readonly inThread = false;
  private readonly lanes: Lane[];
  private readonly waiting = new Map<number, Waiting>();
  private readonly slots: (() => void)[] = [];
  private nextId = 0;
  private failure: unknown;

  constructor(size = Math.max(1, Math.min(MAX_WORKERS, availableParallelism() - 1))) {
    this.lanes = Array.from({ length: size }, () => this.start());
  }

  ready(): Promise<void> {
    if (this.queued() < this.lanes.length * QUEUED_PER_WORKER) return Promise.resolve();
    return new Promise((resolve) => this.slots.push(resolve));
  }

  decode(bytes: Uint8Array): Promise<DecodedUserPage> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const lane = this.lanes.reduce((best, l) => (l.queued < best.queued ? l : best));
    const id = (this.nextId += 1);
    lane.queued += 1;
    const job: PageJob = { id, bytes };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { lane, resolve, reject });
      lane.worker.postMessage(job, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }

  private queued(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.queued, 0);
  }

  private start(): Lane {
    const lane: Lane = { worker: new Worker(WORKER_SCRIPT), expander: new UserPageExpander(), queued: 0 };
    lane.worker.on("message", (answer: PageAnswer) => this.answer(lane, answer));
    lane.worker.on("error", (error) => this.fail(lane, error));
    lane.worker.on("exit", (code) => {
      if (this.waiting.size > 0) this.fail(lane, new Error(`exited with code ${code}`));
    });
    return lane;
  }

  private answer(lane: Lane, answer: PageAnswer): void {
    const waiting = this.waiting.get(answer.id);
    if (waiting === undefined) return;
    this.waiting.delete(answer.id);
    lane.queued -= 1;
    this.slots.shift()?.();
    if ("error" in answer) waiting.reject(notJson(answer.error));
    else {
      const { nextLink } = answer.page;
      waiting.resolve({ users: lane.expander.expand(answer.page), ...(nextLink ? { nextLink } : {}) });
    }
  }

  private fail(lane: Lane, error: unknown): void {
    this.failure ??= new LicensectlError(
      "internal-error",
      `A thread parsing pages of users failed: ${(error as Error).message}`,
      { source: "internal", cause: error },
    );
    for (const [id, waiting] of this.waiting) {
      if (waiting.lane !== lane) continue;
      this.waiting.delete(id);
      waiting.reject(this.failure);
    }
    for (const slot of this.slots.splice(0)) slot();
  }
}
