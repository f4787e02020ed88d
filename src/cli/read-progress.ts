import type { ReadProgressEvent } from "../graph/read-live-state.js";
import { formatCount } from "../report/style.js";
import { fitLine } from "./progress.js";

/**
 * Progress of a tenant read on stderr: a live line redrawn in place on a
 * terminal, a plain line every few seconds in CI, nothing with --quiet.
 * The read itself only emits events (src/graph never writes); the folding
 * and formatting here are pure, the reporter at the bottom writes.
 */

/** What has been read so far, folded from the events. */
export interface ReadTally {
  readonly users: number;
  readonly userPages: number;
  /** Users Graph counted, once known. */
  readonly usersTotal?: number;
  readonly groups: number;
  /** Groups whose members are read, and how many need it. */
  readonly memberGroups: number;
  readonly memberGroupsTotal?: number;
}

export const EMPTY_TALLY: ReadTally = { users: 0, userPages: 0, groups: 0, memberGroups: 0 };

/** Folds one event into the tally (pure). */
export function tallyRead(tally: ReadTally, event: ReadProgressEvent): ReadTally {
  switch (event.phase) {
    case "users":
      return {
        ...tally,
        users: event.done,
        userPages: event.pages ?? tally.userPages,
        ...(event.total !== undefined ? { usersTotal: event.total } : {}),
      };
    case "groups":
      return { ...tally, groups: event.done };
    case "members":
      return {
        ...tally,
        memberGroups: event.done,
        ...(event.total !== undefined ? { memberGroupsTotal: event.total } : {}),
      };
    default:
      return tally;
  }
}

const of = (done: number, total: number | undefined): string =>
  total === undefined ? formatCount(done) : `${formatCount(done)}/${formatCount(total)}`;

/**
 * `Reading: 45,000/100,000 users (46 pages), 200 groups, members of 12/161 groups, 9,800 users/s`
 * (`elapsedMs` gives the rate; none in the first moments, when it means nothing).
 */
export function formatReadLine(tally: ReadTally, elapsedMs: number): string {
  const parts = [
    `${of(tally.users, tally.usersTotal)} users (${formatCount(tally.userPages)} ${tally.userPages === 1 ? "page" : "pages"})`,
    `${formatCount(tally.groups)} groups`,
  ];
  if (tally.memberGroupsTotal !== undefined || tally.memberGroups > 0)
    parts.push(`members of ${of(tally.memberGroups, tally.memberGroupsTotal)} groups`);
  if (elapsedMs >= 500 && tally.users > 0)
    parts.push(`${formatCount(Math.round((tally.users * 1000) / elapsedMs))} users/s`);
  return `Reading: ${parts.join(", ")}`;
}

/** The line for a partitioned read given up for a sequential one. */
export function formatRestartLine(reason: string): string {
  return `Reading the users again page after page: the partitioned read could not be proved complete (${reason}).`;
}

const CLEAR_LINE = "\r\u001b[K";
/** Between two CI lines. */
export const CI_INTERVAL_MS = 5_000;
/** Between two redraws of the terminal line: fast enough to look live, slow enough not to cost. */
const TTY_INTERVAL_MS = 100;

/** Renders read events; `clear` removes the live line before other output. */
export interface ReadProgressReporter {
  readonly onProgress: (event: ReadProgressEvent) => void;
  /** Removes the live line (a terminal), so the next line starts clean. */
  clear(): void;
}

export function createReadProgressReporter(
  io: { stderr(text: string): void; readonly stderrIsTTY: boolean; readonly stderrColumns?: number },
  options: { readonly quiet: boolean; readonly now?: () => number },
): ReadProgressReporter {
  const now = options.now ?? (() => performance.now());
  const width = Math.max(20, (io.stderrColumns ?? 80) - 1);
  let tally = EMPTY_TALLY;
  let started: number | undefined;
  let lastWritten = -Infinity;
  let shown = false;
  const clear = (): void => {
    if (shown) io.stderr(CLEAR_LINE);
    shown = false;
  };
  return {
    clear,
    onProgress(event) {
      if (options.quiet) return;
      const at = now();
      started ??= at;
      if (event.restarted !== undefined) {
        clear();
        io.stderr(`${formatRestartLine(event.restarted)}\n`);
      }
      tally = tallyRead(tally, event);
      if (io.stderrIsTTY) {
        if (at - lastWritten < TTY_INTERVAL_MS) return;
        lastWritten = at;
        io.stderr(`${CLEAR_LINE}${fitLine(formatReadLine(tally, at - started), width)}`);
        shown = true;
      } else if (at - started >= CI_INTERVAL_MS && at - lastWritten >= CI_INTERVAL_MS) {
        // CI logs keep every line: one every few seconds, and none for a read that ends sooner.
        lastWritten = at;
        io.stderr(`${formatReadLine(tally, at - started)}\n`);
      }
    },
  };
}
