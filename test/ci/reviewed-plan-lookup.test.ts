import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * Runs the "find the reviewed plan" step of licensectl-apply.yml with bash,
 * against a stand-in `gh` that answers from fixtures and filters with the
 * real jq (as gh's --jq does), and a `sleep` that only records its delays.
 * Checks the back-off while GitHub has not yet linked the commit to its pull
 * request, the fallback to the number in the commit subject, and that a pull
 * request merged as another commit is never taken.
 */
const run = promisify(execFile);
const workflow = parse(
  readFileSync(new URL("../../examples/github/licensectl-apply.yml", import.meta.url), "utf8"),
) as { jobs: Record<string, { steps: { id?: string; run?: string }[] }> };
const script = workflow.jobs["reviewed-plan"]!.steps.find((s) => s.id === "find")!.run!;
const hasJq = (() => {
  try {
    execFileSync("jq", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

const SHA = "a".repeat(40);
const HEAD = "b".repeat(40);

const FAKE_GH = `#!/usr/bin/env bash
echo "$*" >> "$FAKE/calls"
filter=""; prev=""
for arg in "$@"; do [ "$prev" = "--jq" ] && filter="$arg"; prev="$arg"; done
case "$1 $2" in
  "api repos/o/r/commits/"*"/pulls")
    n=$(( $(cat "$FAKE/lag-count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$FAKE/lag-count"
    if [ "$n" -le "$LAG" ]; then file="$FAKE/empty.json"; else file="$FAKE/commit-pulls.json"; fi ;;
  "api repos/o/r/pulls/"*) file="$FAKE/pull-\${2##*/}.json" ;;
  "run list") file="$FAKE/runs.json" ;;
  *) echo "unexpected gh $*" >&2; exit 3 ;;
esac
[ -f "$file" ] || { echo "HTTP 404" >&2; exit 1; }
jq -r "$filter" < "$file"
`;

interface Case {
  lag: number;
  subject: string;
  pulls: Record<
    number,
    { merged_at: string | null; merge_commit_sha: string; head: { sha: string }; number: number }
  >;
}

async function lookup({ lag, subject, pulls }: Case) {
  const dir = mkdtempSync(join(tmpdir(), "licensectl-lookup-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "gh"), FAKE_GH);
  writeFileSync(join(bin, "sleep"), '#!/usr/bin/env bash\necho "$1" >> "$FAKE/sleeps"\n');
  chmodSync(join(bin, "gh"), 0o755);
  chmodSync(join(bin, "sleep"), 0o755);
  writeFileSync(join(dir, "empty.json"), "[]");
  writeFileSync(join(dir, "commit-pulls.json"), JSON.stringify(Object.values(pulls)));
  for (const pull of Object.values(pulls))
    writeFileSync(join(dir, `pull-${pull.number}.json`), JSON.stringify(pull));
  writeFileSync(join(dir, "runs.json"), JSON.stringify([{ databaseId: 987654 }]));
  const outputs = join(dir, "outputs");
  writeFileSync(outputs, "");
  const env = {
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    FAKE: dir,
    LAG: String(lag),
    GITHUB_OUTPUT: outputs,
    GH_TOKEN: "t",
    REPO: "o/r",
    SHA,
    SUBJECT: subject,
  };
  let code = 0;
  let stdout = "";
  try {
    ({ stdout } = await run("bash", ["-c", script], { cwd: dir, env }));
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    code = failed.code;
    stdout = failed.stdout;
  }
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), "utf8").trim().split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  return { code, stdout, outputs: read("outputs"), sleeps: read("sleeps"), calls: read("calls") };
}

const merged = (number: number, mergeSha: string) => ({
  number,
  merged_at: "2026-01-01T00:00:00Z",
  merge_commit_sha: mergeSha,
  head: { sha: HEAD },
});

describe.skipIf(!hasJq)("licensectl-apply.yml: finding the reviewed plan", () => {
  it("retries with back-off until GitHub links the commit to its pull request", async () => {
    const result = await lookup({ lag: 2, subject: "Add E5 for sales", pulls: { 7: merged(7, SHA) } });
    expect(result.code, result.stdout).toBe(0);
    expect(result.sleeps).toEqual(["0", "5", "10"]);
    expect(result.outputs).toEqual(["pr=7", "run-id=987654"]);
    expect(result.calls).toContain(
      `run list --repo o/r --workflow licensectl-plan.yml --event pull_request --commit ${HEAD} --status success --limit 1 --json databaseId --jq .[0].databaseId // empty`,
    );
  });

  it("falls back to the (#123) of a squash subject, and to 'Merge pull request #123'", async () => {
    const squash = await lookup({
      lag: 99,
      subject: "Add E5 for sales (#123)\n\nbody",
      pulls: { 123: merged(123, SHA) },
    });
    expect(squash.code, squash.stdout).toBe(0);
    expect(squash.sleeps).toEqual(["0", "5", "10", "20", "40", "60"]);
    expect(squash.outputs).toEqual(["pr=123", "run-id=987654"]);

    const merge = await lookup({
      lag: 99,
      subject: "Merge pull request #45 from contoso/e5\n\nAdd E5",
      pulls: { 45: merged(45, SHA) },
    });
    expect(merge.outputs).toEqual(["pr=45", "run-id=987654"]);
  });

  it("never takes a pull request that was not merged as this very commit", async () => {
    const other = await lookup({
      lag: 99,
      subject: "Revert things (#9)",
      pulls: { 9: merged(9, "c".repeat(40)) },
    });
    expect(other.code).toBe(1);
    expect(other.stdout).toContain(`::error::${SHA} is not the merge of a pull request`);
    expect(other.outputs).toEqual([]);

    const open = await lookup({
      lag: 0,
      subject: "x (#8)",
      pulls: { 8: { ...merged(8, SHA), merged_at: null } },
    });
    expect(open.code).toBe(1);
    expect(open.outputs).toEqual([]);
  });
});
