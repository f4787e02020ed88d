import { createTwoFilesPatch } from "diff";
import { isMap, isScalar, isSeq, parseAllDocuments, type Document } from "yaml";
import type { IdleUser } from "../model/economics.js";

/** One manifest file before and after the reclaim edit, with its unified diff. */
export interface ReclaimEdit {
  readonly file: string;
  readonly before: string;
  readonly after: string;
  readonly patch: string;
  /** userPrincipalNames whose licenses this file no longer declares. */
  readonly users: readonly string[];
}

/**
 * The manifest edit that takes idle users' direct licenses back: each
 * user's `licenses:` becomes an empty list, with a comment saying why, in
 * place: the yaml Document API finds the list and its source range, and only
 * that range of the text is replaced, so every other line (comments, layout,
 * flow style) stays as written. Licenses a user inherits from a group are not the user's to lose and
 * are left alone. Pure: texts in, texts out.
 */
export function reclaimEdits(
  files: readonly { readonly file: string; readonly text: string }[],
  idle: readonly IdleUser[],
): { edits: ReclaimEdit[]; declared: ReadonlySet<string> } {
  const byKey = new Map<string, IdleUser>();
  for (const user of idle) {
    byKey.set(user.userPrincipalName.toLowerCase(), user);
    byKey.set(user.id.toLowerCase(), user);
  }
  const declared = new Set<string>();
  const edits: ReclaimEdit[] = [];
  for (const { file, text } of files) {
    const documents = parseAllDocuments(text);
    if (!Array.isArray(documents)) continue;
    const users: string[] = [];
    const splices: { start: number; end: number; text: string }[] = [];
    for (const document of documents as Document.Parsed[]) {
      const list = document.get("users", true);
      if (!isSeq(list)) continue;
      for (const entry of list.items) {
        if (!isMap(entry)) continue;
        const ref = String(entry.get("user") ?? "")
          .trim()
          .toLowerCase();
        const user = byKey.get(ref);
        if (!user) continue;
        declared.add(user.id);
        const pair = entry.items.find((item) => isScalar(item.key) && item.key.value === "licenses");
        const key = pair?.key;
        const value = pair?.value;
        if (!isScalar(key) || !isSeq(value) || value.items.length === 0 || !key.range || !value.range)
          continue;
        // Only the licenses list is rewritten, in the text itself: every other line stays as written.
        // A block list's range runs past its last line break; the edit keeps the break.
        let end = value.range[1];
        while (end > key.range[1] && /\s/.test(text[end - 1]!)) end -= 1;
        splices.push({
          start: key.range[1],
          end,
          text: `: [] # reclaimed: no sign-in since ${user.lastSignIn.slice(0, 10)} (${user.daysInactive} days)`,
        });
        users.push(user.userPrincipalName);
      }
    }
    if (users.length === 0) continue;
    let after = text;
    for (const splice of splices.sort((a, b) => b.start - a.start))
      after = after.slice(0, splice.start) + splice.text + after.slice(splice.end);
    edits.push({
      file,
      before: text,
      after,
      patch: createTwoFilesPatch(`a/${file}`, `b/${file}`, text, after, "", "", { context: 3 }).replace(
        /^=+\n/,
        "",
      ),
      users,
    });
  }
  return { edits, declared };
}
