import { readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MANIFEST_SCHEMA_PATH } from "../../src/manifest/manifest-schema.js";

const EXAMPLES = join(import.meta.dirname, "..", "..", "examples", "manifests");

describe("example manifests", () => {
  it("point editors at the manifest schema with a path that resolves from each file", async () => {
    const files = (await readdir(EXAMPLES, { recursive: true })).filter((f) => f.endsWith(".yaml")).sort();
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = await readFile(join(EXAMPLES, file), "utf8");
      const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
      expect(match, file).not.toBeNull();
      expect(resolve(dirname(join(EXAMPLES, file)), match![1]!), file).toBe(MANIFEST_SCHEMA_PATH);
    }
  });
});
