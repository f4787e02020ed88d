import type { Document } from "yaml";
import type { AdoptEdit } from "../model/adopt.js";
import type { JsonPatchOperation } from "../model/plan.js";
import type { PrincipalTarget } from "./adoption-targets.js";
import {
  isMap,
  isSeq,
  YAMLMap,
  YAMLSeq,
  type EditableFile,
  type RenderStyle,
  type TextEdit,
} from "./yaml-text.js";

/** One manifest file as loaded. */
export interface ManifestText {
  /** The path the loader reports (relative to the working directory): what source locations name. */
  readonly path: string;
  /** The path shown and written in patches: relative to the repository root, `/` separators. */
  readonly shown: string;
  readonly text: string;
}

/** What adoption collects for one file before writing its new text. */
export type Section = "users" | "groups";
export const sectionOf = (target: PrincipalTarget): Section =>
  target.principal.kind === "user" ? "users" : "groups";

export interface FileState {
  readonly source: ManifestText;
  readonly file: EditableFile;
  readonly style: RenderStyle;
  readonly edits: TextEdit[];
  readonly records: AdoptEdit[];
  readonly operations: JsonPatchOperation[];
  readonly removals: { document: number; section: Section; index: number }[];
  readonly additions: Map<string, { document: number; section: Section; nodes: YAMLMap[] }>;
}

export function sectionList(document: Document.Parsed, section: Section): YAMLSeq | undefined {
  const node = isMap(document.contents) ? document.contents.get(section, true) : undefined;
  return isSeq(node) ? node : undefined;
}

/** Whether lists under keys are indented, judged by the first block list after a key in the file. */
export function indentsLists(text: string): boolean {
  const match = /^( *)[\w-]+:[ \t]*(?:#.*)?\n(?: *#.*\n)*( *)- /m.exec(text);
  return match ? match[2]!.length > match[1]!.length : true;
}

export const pointer = (documents: number, document: number, ...path: (string | number)[]) =>
  (documents > 1 ? [document, ...path] : path)
    .map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`)
    .join("");
