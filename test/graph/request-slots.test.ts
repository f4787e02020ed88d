import { describe, expect, it } from "vitest";
import { RequestSlots, SlotsClosed } from "../../src/graph/request-slots.js";

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("request slots", () => {
  it("let `size` requests through at once and give a freed slot to the waiter with most left", async () => {
    const slots = new RequestSlots(2);
    const granted: string[] = [];
    const take = (name: string, left: number) => slots.acquire(left).then(() => void granted.push(name));
    void take("a", 5);
    void take("b", 5);
    void take("small", 1);
    void take("large", 90);
    void take("middle", 40);
    await settled();
    expect(granted).toEqual(["a", "b"]);
    slots.release();
    await settled();
    expect(granted).toEqual(["a", "b", "large"]);
    slots.release();
    slots.release();
    await settled();
    expect(granted).toEqual(["a", "b", "large", "middle", "small"]);
  });

  it("refuse every waiter and every later request once closed", async () => {
    const slots = new RequestSlots(1);
    await slots.acquire(1);
    const waiting = slots.acquire(1);
    slots.close();
    await expect(waiting).rejects.toBeInstanceOf(SlotsClosed);
    await expect(slots.acquire(1)).rejects.toBeInstanceOf(SlotsClosed);
  });
});
