import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sourceCommit, TOOL_VERSION, versionLabel } from "../../src/version.js";

const HASH = "25106ad0c0ffee0123456789abcdef0123456789";
let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A directory laid out like a checkout: `files` relative to it. */
function checkout(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), "licensectl-version-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("--version names the commit of a build from source", () => {
  it("reads a branch's loose ref", () => {
    const dir = checkout({ ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": `${HASH}\n` });
    expect(sourceCommit(dir)).toBe("25106ad");
    expect(versionLabel(dir)).toBe(`${TOOL_VERSION} (commit 25106ad)`);
  });

  it("reads packed refs and a detached HEAD", () => {
    const packed = checkout({
      ".git/HEAD": "ref: refs/heads/release\n",
      ".git/packed-refs": `# pack-refs with: peeled fully-peeled sorted\n${HASH} refs/heads/release\n`,
    });
    expect(sourceCommit(packed)).toBe("25106ad");
    rmSync(packed, { recursive: true, force: true });
    expect(sourceCommit(checkout({ ".git/HEAD": `${HASH}\n` }))).toBe("25106ad");
  });

  it("follows a worktree's .git file to its git directory and the shared refs", () => {
    const dir = checkout({
      "main/.git/refs/heads/feature": `${HASH}\n`,
      "main/.git/worktrees/wt/HEAD": "ref: refs/heads/feature\n",
      "main/.git/worktrees/wt/commondir": "../..\n",
      "wt/.git": "gitdir: ../main/.git/worktrees/wt\n",
    });
    expect(sourceCommit(join(dir, "wt"))).toBe("25106ad");
  });

  it("says only the version for an installed package (no .git) or an unreadable one", () => {
    expect(versionLabel(checkout({ "package.json": "{}" }))).toBe(TOOL_VERSION);
    rmSync(root, { recursive: true, force: true });
    expect(sourceCommit(checkout({ ".git/HEAD": "ref: refs/heads/gone\n" }))).toBeUndefined();
  });
});
