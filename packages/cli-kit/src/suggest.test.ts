import { describe, expect, it } from "vitest";
import { suggest } from "./suggest.js";

describe("suggest", () => {
  it("offers the known names within two edits, or that start with the typed word, best first", () => {
    const known = ["pack", "push", "verify", "auth", "mirror"];
    expect(suggest("pakc", known)).toEqual(["pack"]);
    expect(suggest("pus", known)).toContain("push");
    expect(suggest("verfy", known)).toEqual(["verify"]);
    expect(suggest("zzzzzz", known)).toEqual([]);
    expect(suggest("ca-fil", ["ca-file", "registry-config", "concurrency"])).toEqual(["ca-file"]);
    expect(suggest("provider", ["copy", "export", "import", "modules", "providers"])).toEqual(["providers"]);
  });
});
