/**
 * Terminal styling for renderers: ANSI colours that vanish when colour is off,
 * and column alignment that ignores the escape codes.
 */

/** Text decorations a renderer may use; each is the identity when colour is off. */
export interface Style {
  readonly color: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    text === "" ? "" : `\u001b[${open}m${text}\u001b[${close}m`;

const plain = (text: string): string => text;

/** A style that colours only when `color` is true (the CLI decides: TTY, NO_COLOR, --no-color). */
export function createStyle(color: boolean): Style {
  if (!color) {
    return { color, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  }
  return {
    color,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The text without ANSI escape codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** How many columns the text takes on a terminal (escape codes take none). */
export function visibleLength(text: string): number {
  return stripAnsi(text).length;
}

export type Align = "left" | "right";

/**
 * Lays out rows as aligned columns separated by two spaces. Cells may carry
 * ANSI codes. Trailing blanks are trimmed so golden files stay clean.
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
  indent = "",
): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows.map((row) => {
    const cells = row.map((cell, i) => {
      const pad = " ".repeat((widths[i] ?? 0) - visibleLength(cell));
      return align[i] === "right" ? pad + cell : cell + pad;
    });
    return (indent + cells.join("  ")).trimEnd();
  });
}

/** `1 user`, `2 users`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : pluralForm}`;
}

/** A number with thousands separators, independent of the machine's locale. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** A signed delta: `+2`, `-3`, `0`. */
export function formatDelta(delta: number): string {
  return delta > 0 ? `+${formatCount(delta)}` : formatCount(delta);
}
