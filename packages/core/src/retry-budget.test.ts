import { describe, expect, it } from "vitest";
import { RetryBudget } from "./retry-budget.js";

describe("RetryBudget", () => {
  it("allows `retries` failed attempts, then refuses, and starts afresh after progress", () => {
    const budget = new RetryBudget({ retries: 2, now: () => 0 });
    expect([budget.spend("reset"), budget.spend("reset"), budget.spend("reset")]).toEqual([true, true, false]);
    expect(budget.exhaustedError().message).toMatch(/giving up after 3 failed attempts .*reset/);
    budget.progress();
    expect(budget.exhausted).toBe(false);
  });

  it("counts a throttled request (429) against the deadline only, so many at once do not give up", () => {
    let now = 0;
    const budget = new RetryBudget({ retries: 2, deadlineMs: 1000, now: () => now });
    for (let i = 0; i < 50; i++) expect(budget.throttled("HTTP 429")).toBe(true);
    now = 1001;
    expect(budget.throttled("HTTP 429")).toBe(false);
    expect(budget.exhaustedError().message).toMatch(/HTTP 429/);
  });
});
