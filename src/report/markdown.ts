/**
 * Markdown for GitHub: escaping of user text (principal names, reasons) so
 * that a display name cannot inject HTML, break a table, start formatting or
 * mention someone, tables, and the size limit of a comment. The one place
 * plan and drift reports take these from.
 */

/** GitHub refuses an issue or pull-request comment longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** What plan and drift comments aim to stay under by default: the limit, less room for a pipeline's own lines. */
export const DEFAULT_MARKDOWN_MAX_LENGTH = 65_000;
const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/**
 * Text that renders as itself in markdown prose, list items and table cells.
 * Line breaks become spaces; `@name` gets a zero-width space after the `@` so
 * GitHub does not notify a user or team.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/[&<>"]/g, (c) => HTML[c]!)
    .replace(/[\\`*_[\]|~#!]/g, "\\$&")
    .replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, "$1@\u200b");
}

/**
 * A code span holding `text` literally, safe inside a table cell: the fence is
 * longer than any backtick run in the text, and `|` is escaped (GFM honours
 * `\|` inside code spans in tables, and only there).
 */
export function codeSpanInTable(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** A GitHub table whose every cell is user text, escaped. */
export function markdownTable(columns: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(" | ")} |`;
  return [line(columns), `|${columns.map(() => " --- ").join("|")}|`, ...rows.map(line)];
}
