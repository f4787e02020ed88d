import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { RecordingIo } from "../../src/cli/io.js";
import { parseFaultSpec } from "../../src/cli/commands/emulator.js";

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
      "--faults <spec>",
      "--generate <users>",
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

  it("refuses --tenant together with --generate", async () => {
    const io = new RecordingIo();
    expect(await runCli(["emulator", "--tenant", "x.yaml", "--generate", "10"], io)).toBe(1);
    expect(io.err).toContain("--tenant and --generate exclude each other");
  });
});
