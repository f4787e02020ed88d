import type { ApplyEvent } from "../apply/apply-events.js";
import type { WaveKind } from "../model/plan.js";
import { createStyle, formatCount, plural, stripAnsi, visibleLength } from "../report/style.js";
import { CI_INTERVAL_MS } from "./read-progress.js";

/**
 * Apply progress on stderr: one updating bar line per wave on a terminal,
 * plain lines in CI, only failures with --quiet. The formatting is pure; the
 * reporter at the bottom is the only part that writes.
 */

/** Counts of the wave in progress. */
export interface WaveProgress {
  readonly index: number;
  readonly waveCount: number;
  readonly kind: WaveKind;
  readonly total: number;
  readonly applied: number;
  readonly failed: number;
  readonly skipped: number;
  readonly throttled: number;
  /** The latest Retry-After seen in this wave, to show while Graph holds us back. */
  readonly retryAfterMs?: number;
}

export interface ProgressFormatOptions {
  readonly color: boolean;
  /** Cells in the bar. */
  readonly barWidth?: number;
}

function done(wave: WaveProgress): number {
  return wave.applied + wave.failed + wave.skipped;
}

/** Folds one event into the wave's counts (pure). */
export function advanceWave(wave: WaveProgress | undefined, event: ApplyEvent): WaveProgress | undefined {
  switch (event.type) {
    case "wave-started":
      return {
        index: event.waveIndex,
        waveCount: event.waveCount,
        kind: event.kind,
        total: event.changes,
        applied: 0,
        failed: 0,
        skipped: 0,
        throttled: 0,
      };
    case "change-done":
      if (!wave || wave.index !== event.waveIndex) return wave;
      // An unknown outcome counts with the failures: it is not known to be done.
      return event.status === "unknown"
        ? { ...wave, failed: wave.failed + 1 }
        : { ...wave, [event.status]: wave[event.status] + 1 };
    case "throttled":
      return wave ? { ...wave, throttled: wave.throttled + 1, retryAfterMs: event.retryAfterMs } : wave;
    case "wave-finished":
      return wave
        ? {
            ...wave,
            applied: event.applied,
            failed: event.failed,
            skipped: event.skipped,
            total: Math.max(wave.total, event.applied + event.failed + event.skipped),
          }
        : wave;
    default:
      return wave;
  }
}

function counts(wave: WaveProgress, style: ReturnType<typeof createStyle>): string {
  const parts = [wave.failed > 0 ? style.red(`${formatCount(wave.failed)} failed`) : "0 failed"];
  if (wave.skipped > 0) parts.push(style.yellow(`${formatCount(wave.skipped)} skipped`));
  if (wave.throttled > 0) parts.push(`throttled ${formatCount(wave.throttled)}x`);
  return parts.join(", ");
}

function waveLabel(wave: WaveProgress): string {
  return `wave ${wave.index + 1}/${wave.waveCount} ${wave.kind}`;
}

/** A CI line: `wave 2/5 remove-users: 40/40 done, 0 failed`. */
export function formatWaveLine(wave: WaveProgress, options: ProgressFormatOptions): string {
  const style = createStyle(options.color);
  return `${waveLabel(wave)}: ${formatCount(done(wave))}/${formatCount(wave.total)} done, ${counts(wave, style)}`;
}

/** A CI line when a wave starts: `wave 2/5 remove-users: 40 changes`. */
export function formatWaveStartLine(wave: WaveProgress): string {
  return `${waveLabel(wave)}: ${plural(wave.total, "change")}`;
}

/** ` (throttled, retrying in 12s)` while a wave waits out a Retry-After, else nothing. */
function throttleWait(wave: WaveProgress): string {
  return wave.retryAfterMs !== undefined && done(wave) < wave.total
    ? ` (throttled, retrying in ${Math.ceil(wave.retryAfterMs / 1000)}s)`
    : "";
}

/** The terminal bar: `wave 2/5 remove-users [#####---------------]  10/40, 0 failed`. */
export function formatWaveBar(wave: WaveProgress, options: ProgressFormatOptions): string {
  const style = createStyle(options.color);
  const width = options.barWidth ?? 24;
  const ratio = wave.total === 0 ? 1 : Math.min(1, done(wave) / wave.total);
  const filled = Math.round(ratio * width);
  const bar = style.green("#".repeat(filled)) + style.dim("-".repeat(width - filled));
  const wait = throttleWait(wave);
  const waiting = wait ? style.yellow(wait) : "";
  return `${waveLabel(wave)} [${bar}] ${formatCount(done(wave))}/${formatCount(wave.total)}, ${counts(wave, style)}${waiting}`;
}

/** A failure, as one line: `failed: adele@contoso.com: Subscription ... licenses.` */
export function formatFailureLine(
  event: Extract<ApplyEvent, { type: "change-done" }>,
  options: ProgressFormatOptions,
): string {
  const style = createStyle(options.color);
  return `${style.red("failed")}: ${event.principal}${event.message ? `: ${event.message}` : ""}`;
}

/** Group processing: `waiting for license processing of 2 groups (10s)`. */
export function formatGroupWaitLine(
  event: Extract<ApplyEvent, { type: "waiting-for-groups" }>,
  options: ProgressFormatOptions,
): string {
  const style = createStyle(options.color);
  const seconds = Math.round(event.waitedMs / 1000);
  const all = plural(event.total, "group");
  const some =
    event.groupIds.length === event.total ? all : `${formatCount(event.groupIds.length)} of ${all}`;
  if (event.state === "complete") return `license processing complete for ${all} (${seconds}s)`;
  if (event.state === "timed-out")
    return style.yellow(`license processing of ${some} did not complete in ${seconds}s`);
  return `waiting for license processing of ${some} (${seconds}s)`;
}

const CLEAR_LINE = "\r\u001b[K";
const DEFAULT_COLUMNS = 80;

/** The line cut to `width` columns (colour dropped when it has to be cut). */
export function fitLine(line: string, width: number): string {
  return visibleLength(line) <= width ? line : stripAnsi(line).slice(0, width);
}

/**
 * Turns apply events into progress on stderr. On a terminal the bar is
 * redrawn in place, only when what it shows changes by a visible step, so a
 * 50,000-change wave does not flood the terminal.
 */
export function createProgressReporter(
  io: {
    stderr(text: string): void;
    readonly stderrIsTTY: boolean;
    /** Terminal width; the bar is cut to fit, since a wrapped line cannot be redrawn in place. */
    readonly stderrColumns?: number;
  },
  options: { readonly quiet: boolean; readonly color: boolean; readonly now?: () => number },
): (event: ApplyEvent) => void {
  const format = { color: options.color };
  const now = options.now ?? (() => performance.now());
  let lastCiLine = now();
  const width = Math.max(20, (io.stderrColumns ?? DEFAULT_COLUMNS) - 1);
  let wave: WaveProgress | undefined;
  let lastDrawn = "";
  let barShown = false;
  let lastWait = "";

  const draw = (line: string): void => {
    if (line === lastDrawn) return;
    lastDrawn = line;
    barShown = true;
    io.stderr(`${CLEAR_LINE}${fitLine(line, width)}`);
  };
  const above = (line: string): void => {
    // A line printed over the bar, which is then drawn again below it.
    io.stderr(`${barShown ? CLEAR_LINE : ""}${line}\n`);
    barShown = false;
    lastDrawn = "";
  };
  const step = (w: WaveProgress): string =>
    `${Math.floor((done(w) * 100) / Math.max(1, w.total))}:${w.failed}:${w.skipped}:${w.throttled}`;

  return (event) => {
    const before = wave;
    wave = advanceWave(wave, event);
    if (event.type === "change-done" && event.status === "failed") {
      if (options.quiet || !io.stderrIsTTY) io.stderr(`${formatFailureLine(event, format)}\n`);
      else above(formatFailureLine(event, format));
    }
    if (options.quiet) return;
    if (!io.stderrIsTTY) {
      if (event.type === "wave-started" && wave) io.stderr(`${formatWaveStartLine(wave)}\n`);
      if (event.type === "wave-finished" && wave) io.stderr(`${formatWaveLine(wave, format)}\n`);
      if (event.type === "wave-started" || event.type === "wave-finished") lastCiLine = now();
      // A long wave, or a long throttle wait, still shows it is alive in a CI log: a line every few seconds at most.
      if (
        (event.type === "change-done" || event.type === "throttled") &&
        wave &&
        now() - lastCiLine >= CI_INTERVAL_MS
      ) {
        io.stderr(`${formatWaveLine(wave, format)}${throttleWait(wave)}\n`);
        lastCiLine = now();
      }
      if (event.type === "waiting-for-groups") {
        // One line per change of what is pending, not one per poll.
        const key = `${event.state}:${event.groupIds.length}`;
        if (key !== lastWait) io.stderr(`${formatGroupWaitLine(event, format)}\n`);
        lastWait = key;
      }
      return;
    }
    if (event.type === "waiting-for-groups") {
      if (event.state === "waiting") draw(formatGroupWaitLine(event, format));
      else above(formatGroupWaitLine(event, format));
      return;
    }
    if (!wave) return;
    if (event.type === "wave-started") {
      lastDrawn = "";
      draw(formatWaveBar(wave, format));
    } else if (event.type === "wave-finished") {
      draw(formatWaveBar(wave, format));
      io.stderr("\n");
      barShown = false;
      lastDrawn = "";
    } else if (
      (event.type === "change-done" || event.type === "throttled") &&
      (before === undefined || step(before) !== step(wave) || done(wave) === wave.total || !barShown)
    ) {
      draw(formatWaveBar(wave, format));
    }
  };
}
