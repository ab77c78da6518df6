import { describe, expect, it } from "vitest";
import { Semaphore, mapConcurrent } from "./concurrency.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("mapConcurrent", () => {
  it("keeps order and the limit", async () => {
    let running = 0;
    let peak = 0;
    const result = await mapConcurrent([1, 2, 3, 4, 5, 6], 2, async (n) => {
      peak = Math.max(peak, ++running);
      await tick();
      running--;
      return n * 10;
    });
    expect(result).toEqual([10, 20, 30, 40, 50, 60]);
    expect(peak).toBe(2);
  });

  it("stops starting work after a failure and rejects with it", async () => {
    const started: number[] = [];
    const error = await mapConcurrent([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error("boom");
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("boom");
    expect(started).toEqual([1, 2]);
  });
});

describe("Semaphore", () => {
  it("admits at most its limit", async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        semaphore.run(async () => {
          peak = Math.max(peak, ++running);
          await tick();
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});
