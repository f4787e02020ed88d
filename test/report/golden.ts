import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "__golden__");

/**
 * Compares `actual` with the golden file `name`. A missing file is written
 * (review it and commit it), except on CI where it fails; UPDATE_GOLDEN=1
 * rewrites them all.
 */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (!existsSync(file) && process.env.CI) {
    throw new Error(
      `golden file ${name} is missing; run the tests locally and commit test/report/__golden__/${name}`,
    );
  }
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual, `golden file ${name} (UPDATE_GOLDEN=1 to refresh)`).toBe(readFileSync(file, "utf8"));
}
