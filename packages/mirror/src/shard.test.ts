import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { inShard, parseShard } from "./shard.js";

describe("--shard K/N", () => {
  it("gives every key to exactly one of N shards, the same one on every call", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `hashicorp/aws ${Math.floor(i / 10)}.${i % 10}.0`);
    for (const count of [1, 2, 3, 7]) {
      const owners = keys.map((key) => [...Array(count).keys()].filter((k) => inShard({ index: k + 1, count }, key)));
      expect(owners.every((found) => found.length === 1)).toBe(true);
      const sizes = [...Array(count).keys()].map((k) => owners.filter(([owner]) => owner === k).length);
      // A hash split: roughly even, never empty on 200 keys.
      expect(Math.min(...sizes)).toBeGreaterThan(200 / count / 2);
      expect(keys.map((key) => inShard({ index: 1, count }, key))).toEqual(
        keys.map((key) => inShard({ index: 1, count }, key)),
      );
    }
    expect(keys.every((key) => inShard(undefined, key))).toBe(true);
  });

  it("parses K/N and refuses anything else with a usage error", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "2", "2/", "/4", "a/b", "2/4/8", "-1/4"])
      expect(exitCodeOf(captured(() => parseShard(bad)))).toBe(2);
  });
});

function captured(action: () => unknown): unknown {
  try {
    return action();
  } catch (error) {
    return error;
  }
}
