import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { RecordingIo } from "../../src/cli/io.js";
import { generateOptions, parseFaultSpec, writeThrottle } from "../../src/cli/commands/emulator.js";
import { generateTenant } from "../../src/emulator/index.js";

describe("licensectl emulator", () => {
  it("explains itself in --help", async () => {
    const io = new RecordingIo();
    expect(await runCli(["emulator", "--help"], io)).toBe(0);
    for (const option of [
      "--tenant <file>",
      "--port <n>",
      "--state <file>",
      "--latency <ms>",
      "--throttle",
      "--write-limit <writes/seconds>",
      "--drained",
      "--faults <spec>",
      "--generate <users>",
      "--groups <n>",
      "--skus <n>",
      "--economics",
      "--resource-units",
      "--consistency-lag <ms>",
    ]) {
      expect(io.out).toContain(option);
    }
    expect(io.out).toContain("--graph-url");
    expect(io.out).toContain("127.0.0.1");
  });

  it("reads a fault spec and refuses a bad one", () => {
    expect(parseFaultSpec("error=0.05,drop=0.01,seed=7")).toEqual({
      errorRate: 0.05,
      dropRate: 0.01,
      seed: 7,
    });
    expect(parseFaultSpec("batch=0.1")).toEqual({ batchFailureRate: 0.1 });
    expect(parseFaultSpec("lost=0.2")).toEqual({ lostWrites: { rate: 0.2, carriedOut: true, answer: 504 } });
    expect(() => parseFaultSpec("lost=2")).toThrow(/between 0 and 1/);
    expect(() => parseFaultSpec("error=5")).toThrow(/between 0 and 1/);
    expect(() => parseFaultSpec("boom=1")).toThrow(/unknown setting/);
  });

  it("reads Graph's write limit shape, WRITES/SECONDS, as a token bucket", () => {
    expect(writeThrottle({ writeLimit: "3000/150" })).toEqual({ writesPerSecond: 20, burst: 3000 });
    expect(writeThrottle({ writeLimit: "75000/150", drained: true })).toEqual({
      writesPerSecond: 500,
      burst: 75000,
      startEmpty: true,
    });
    expect(writeThrottle({ throttle: "50", burst: "5" })).toEqual({ writesPerSecond: 50, burst: 5 });
    expect(writeThrottle({})).toBeUndefined();
    expect(() => writeThrottle({ writeLimit: "3000" })).toThrow(/--write-limit 3000 is not a valid value/);
    expect(() => writeThrottle({ writeLimit: "3000/150", throttle: "20" })).toThrow(/excludes --throttle/);
    expect(() => writeThrottle({ drained: true })).toThrow(/--drained needs/);
  });

  it("shapes a generated tenant: groups, SKUs, and the economics to try renewals, idle seats and reclaim", () => {
    expect(generateOptions({}, 1)).toBeUndefined();
    expect(generateOptions({ generate: "200" }, 3)).toEqual({ users: 200, seed: 3 });
    const options = generateOptions({ generate: "200", groups: "4", skus: "3", economics: true }, 3)!;
    expect(options).toEqual({
      users: 200,
      seed: 3,
      groups: 4,
      skus: 3,
      subscriptions: "varied",
      departments: true,
      signInActivity: true,
    });
    const tenant = generateTenant(options);
    expect(tenant.groups).toHaveLength(4);
    expect(tenant.skus).toHaveLength(3);
    expect(tenant.users.some((u) => u.department !== undefined)).toBe(true);
    expect(tenant.users.some((u) => u.signInActivity !== undefined)).toBe(true);
    expect(() => generateOptions({ economics: true }, 1)).toThrow(
      /--economics shapes a generated tenant and needs --generate/,
    );
    expect(() => generateOptions({ generate: "10", groups: "many" }, 1)).toThrow(/--groups/);
  });

  it("refuses --tenant together with --generate", async () => {
    const io = new RecordingIo();
    expect(await runCli(["emulator", "--tenant", "x.yaml", "--generate", "10"], io)).toBe(1);
    expect(io.err).toContain("--tenant and --generate exclude each other");
  });
});
