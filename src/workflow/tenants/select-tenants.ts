import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { LicensectlError } from "../../model/errors.js";
import { closestMatches, didYouMean } from "../../util/suggest.js";

/** One tenant of a repository: a directory under the tenants directory. */
export interface TenantDirectory {
  /** The directory's name, which names the tenant on the command line and in reports. */
  readonly name: string;
  /** The directory, relative to the working directory, with `/` separators. */
  readonly directory: string;
}

/** Which tenants a run covers: all of them, the named ones, and/or one shard of them. */
export interface TenantSelection {
  /** The directory holding one directory per tenant (default `tenants`). */
  readonly tenantsDir: string;
  readonly all: boolean;
  readonly names: readonly string[];
  /** `{ index: 1, count: 4 }`: the first of four shards (every fourth tenant, by name). */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** The default directory of tenants in a repository. */
export const DEFAULT_TENANTS_DIR = "tenants";

/** `--shard 2/4` -> { index: 2, count: 4 }. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new LicensectlError("bad-option", `--shard ${text} is not a shard`, {
      hint: "Write --shard I/N with 1 <= I <= N, e.g. --shard 1/4 in the first of four parallel jobs.",
    });
  return { index, count };
}

/**
 * The tenant directories a run covers, sorted by name. Every directory under
 * the tenants directory (hidden ones skipped) is a tenant; a name that is not
 * one is an error with the closest names.
 */
export async function selectTenants(selection: TenantSelection, cwd: string): Promise<TenantDirectory[]> {
  const root = resolve(cwd, selection.tenantsDir);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined)
    throw new LicensectlError("bad-option", `${selection.tenantsDir} is not a directory of tenants`, {
      hint: "Keep one directory per tenant under tenants/ (or name the directory with --tenants-dir).",
    });
  const known: TenantDirectory[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".")) continue;
    const full = join(root, entry.name);
    if (!(await stat(full)).isDirectory()) continue;
    known.push({ name: entry.name, directory: relative(cwd, full).split(sep).join("/") || "." });
  }
  if (known.length === 0)
    throw new LicensectlError("bad-option", `${selection.tenantsDir} holds no tenant directories`, {
      hint: "Make a directory per tenant (e.g. tenants/contoso/) holding that tenant's manifests.",
    });
  let chosen = known;
  if (!selection.all && selection.names.length > 0) {
    const byName = new Map(known.map((t) => [t.name, t]));
    const unknown = selection.names.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      const suggestion = didYouMean(closestMatches(unknown[0]!, [...byName.keys()]));
      throw new LicensectlError(
        "bad-option",
        `--tenant ${unknown.join(", ")}: no such tenant under ${selection.tenantsDir}`,
        {
          hint: `${suggestion ? `${suggestion} ` : ""}Tenants: ${[...byName.keys()].join(", ")}.`,
        },
      );
    }
    chosen = [...new Set(selection.names)].map((name) => byName.get(name)!);
  }
  const shard = selection.shard;
  return shard ? chosen.filter((_, i) => i % shard.count === shard.index - 1) : chosen;
}
