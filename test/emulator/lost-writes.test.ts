import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { smallTenant } from "./helpers.js";

type LostWrites = NonNullable<NonNullable<EmulatorOptions["faults"]>["lostWrites"]>;

describe("emulator: writes whose answer is lost", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });
  const start = async (lostWrites: LostWrites) => {
    emulator = await startEmulator({
      tenant: smallTenant(),
      groupProcessingDelayMs: 0,
      faults: { lostWrites },
    });
    return emulator;
  };
  const usageLocationOf = (emu: RunningEmulator) =>
    emu.snapshot().users.find((u) => u.userPrincipalName === "grady.archie@contoso.com")?.usageLocation;
  const patch = (emu: RunningEmulator) =>
    fetch(`${emu.url}/v1.0/users/grady.archie@contoso.com`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ usageLocation: "FR" }),
    });
  const batchPatch = (emu: RunningEmulator) =>
    fetch(`${emu.url}/v1.0/$batch`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        requests: [
          {
            id: "1",
            method: "PATCH",
            url: "/users/grady.archie@contoso.com",
            headers: { "Content-Type": "application/json" },
            body: { usageLocation: "FR" },
          },
        ],
      }),
    });

  it("carries a write out and answers 504 in Graph's envelope", async () => {
    const emu = await start({ rate: 1, carriedOut: true, answer: 504 });
    const response = await patch(emu);
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UnknownError");
    expect(usageLocationOf(emu)).toBe("FR");
    // Reads are never hit.
    expect((await fetch(`${emu.url}/v1.0/users`)).status).toBe(200);
  });

  it("answers 503 without carrying the write out", async () => {
    const emu = await start({ rate: 1, carriedOut: false, answer: 503 });
    expect((await patch(emu)).status).toBe(503);
    expect(usageLocationOf(emu)).not.toBe("FR");
  });

  it("drops the connection after carrying the write out", async () => {
    const emu = await start({ rate: 1, carriedOut: true, answer: "drop" });
    await expect(patch(emu)).rejects.toThrow();
    expect(usageLocationOf(emu)).toBe("FR");
  });

  it("inside $batch: the inner answer is 504, the write carried out", async () => {
    const emu = await start({ rate: 1, carriedOut: true, answer: 504 });
    const response = await batchPatch(emu);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { responses: { id: string; status: number }[] };
    expect(body.responses).toMatchObject([{ id: "1", status: 504 }]);
    expect(usageLocationOf(emu)).toBe("FR");
  });

  it("the whole $batch answered 504 or dropped after its writes ran, or before", async () => {
    let emu = await start({ rate: 1, carriedOut: true, answer: 504, scope: "batch" });
    expect((await batchPatch(emu)).status).toBe(504);
    expect(usageLocationOf(emu)).toBe("FR");
    await emu.stop();

    emu = await start({ rate: 1, carriedOut: false, answer: "drop", scope: "batch" });
    await expect(batchPatch(emu)).rejects.toThrow();
    expect(usageLocationOf(emu)).not.toBe("FR");
  });
});
