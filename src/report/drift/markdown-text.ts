/**
 * Escaping for user text placed in GitHub-flavoured markdown table cells:
 * HTML is neutralised, markdown punctuation is backslash-escaped, and the
 * cell stays on one line so the table holds together.
 */
export function escapeMarkdownCell(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      // Only what can act inside a table cell: emphasis, code, links, strike-through, the cell separator.
      .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
      // A zero-width space after a leading @ keeps "@team" from notifying anyone; UPNs keep their @ intact.
      .replace(/(^|[^\w.-])@/g, "$1@\u200b")
      .replace(/\r?\n|\r/g, " ")
  );
}

export function markdownTable(columns: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdownCell).join(" | ")} |`;
  return [line(columns), `|${columns.map(() => " --- ").join("|")}|`, ...rows.map(line)];
}
