import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runProcess, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../api.mjs", import.meta.url));
const out = tempDir("tofu-oci-api-");
afterAll(() => out.cleanup());

describe("API reference", () => {
  it("typedoc documents every package's public entry points without a warning", async () => {
    const result = await runProcess(process.execPath, [script, "--out", out.path], { timeoutMs: 120_000 });
    expect(result.stderr).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
    expect(existsSync(join(out.path, "index.html"))).toBe(true);
  }, 150_000);
});
