import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { LicensectlError } from "../model/errors.js";
import { STATE_FORMAT, type TenantData } from "./tenant-model.js";

/** Loads a persisted tenant, or undefined when the file does not exist yet. */
export function loadState(path: string): TenantData | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: { format?: unknown; tenant?: TenantData };
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as typeof parsed;
  } catch (error) {
    throw new LicensectlError(
      "state-unreadable",
      `cannot read the emulator state ${path}: ${(error as Error).message}`,
      {
        hint: "Delete the file to start again from the tenant fixture.",
      },
    );
  }
  if (parsed.format !== STATE_FORMAT || !parsed.tenant) {
    throw new LicensectlError(
      "state-unreadable",
      `${path} is not an emulator state file (format ${STATE_FORMAT})`,
      {
        hint: "Point --state at a file the emulator wrote, or at a path that does not exist yet.",
      },
    );
  }
  return parsed.tenant;
}

/** Writes the tenant atomically (temp file + rename), so a crash never leaves half a file. */
export function saveState(path: string, data: TenantData): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify({ format: STATE_FORMAT, tenant: data }));
  renameSync(temp, path);
}
