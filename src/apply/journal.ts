import { closeSync, constants, fstatSync, lstatSync, openSync, writeSync } from "node:fs";
import { LicensectlError } from "../model/errors.js";
import type { ApplyEvent } from "./apply-events.js";

/**
 * The apply journal (`apply --journal FILE`): one JSON line per write sent
 * (change id, request, status, Graph's request-id, timing, outcome), per
 * read-back after a lost answer, and per change settled, appended and handed
 * to the operating system as each happens, so an apply that is killed or
 * fails can still be audited, and kept as a pipeline artifact.
 */
export interface ApplyJournal {
  /** Appends the lines an event stands for (most events stand for none). */
  record(event: ApplyEvent): void;
  /** Closes the file; no line is written after. */
  close(): void;
}

/** The journal line of an event, or undefined for progress that is not journaled. */
export function journalLine(event: ApplyEvent, now: () => Date = () => new Date()): object | undefined {
  switch (event.type) {
    case "apply-started":
      return {
        type: "apply-started",
        at: now().toISOString(),
        waves: event.waveCount,
        changes: event.changes,
      };
    case "write-attempt": {
      const { type: _type, startedAt, ...rest } = event;
      return { type: "write", at: startedAt, ...rest };
    }
    case "read-back":
      return {
        type: "read-back",
        at: now().toISOString(),
        waveIndex: event.waveIndex,
        changeId: event.changeId,
        verdict: event.verdict,
      };
    case "change-done":
      return { type: "change", at: now().toISOString(), ...withoutType(event) };
    case "apply-finished":
      return { type: "apply-finished", at: now().toISOString(), ...withoutType(event) };
    default:
      return undefined;
  }
}

function withoutType<T extends { type: string }>(event: T): Omit<T, "type"> {
  const { type: _type, ...rest } = event;
  return rest;
}

/**
 * Opens `path` for appending, never through a symbolic link (a link planted
 * in a checkout would otherwise have licensectl append wherever it points).
 */
export function openApplyJournal(path: string, shown: string): ApplyJournal {
  const refuseLink = () =>
    new LicensectlError(
      "output-is-link",
      `${shown} is a symbolic link; licensectl does not write through links`,
      {
        hint: "Delete the link or choose another journal path.",
      },
    );
  // O_NOFOLLOW makes the check and the open one step; where it is missing, check first.
  if (constants.O_NOFOLLOW === undefined && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink())
    throw refuseLink();
  let fd: number;
  try {
    fd = openSync(
      path,
      // O_NONBLOCK: a FIFO with no reader fails at once instead of hanging the apply.
      constants.O_WRONLY |
        constants.O_APPEND |
        constants.O_CREAT |
        (constants.O_NOFOLLOW ?? 0) |
        (constants.O_NONBLOCK ?? 0),
      0o644,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw refuseLink();
    throw new LicensectlError(
      "journal-unwritable",
      `cannot write the journal ${shown}: ${(error as Error).message}`,
      {
        hint: "Choose a path in a directory you can write to.",
        cause: error,
      },
    );
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new LicensectlError(
      "journal-unwritable",
      `cannot write the journal ${shown}: it is not a regular file`,
      {
        hint: "Choose the path of a regular file.",
      },
    );
  }
  let open = true;
  return {
    record(event) {
      const line = journalLine(event);
      // Synchronous: each line reaches the operating system before the apply goes on.
      if (open && line !== undefined) writeSync(fd, `${JSON.stringify(line)}\n`);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
