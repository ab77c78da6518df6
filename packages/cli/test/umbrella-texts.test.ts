import { memoryContext } from "@tofu-oci/testkit";
import { describe, expect, it } from "vitest";
import { BUILT_IN_COMMANDS } from "../src/built-ins.js";
import { runUmbrella } from "../src/umbrella.js";

// Under the umbrella, messages, hints and help name the commands as the user runs them.

async function umbrella(args: string[], options: { stdoutIsTTY?: boolean } = {}) {
  const io = memoryContext({ env: { HOME: "/nonexistent" }, ...options });
  const code = await runUmbrella(args, io.ctx, { version: "0.0.0", builtIns: BUILT_IN_COMMANDS });
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe("tofu-oci <cmd> names commands as tofu-oci <cmd>", () => {
  it("in error messages, hints and error records", async () => {
    const result = await umbrella(["auth", "login", "127.0.0.1:1", "--format", "json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tofu-oci auth login 127.0.0.1:1 -u USER");
    expect(result.stderr + result.stdout).not.toContain("tofu-oci-auth");
  });

  it("in help texts, while the standalone bin keeps its own name", async () => {
    const help = await umbrella(["pack", "--help"]);
    expect(help.stdout).toContain("| tofu-oci push registry.example.com/modules/net:1.0.0");
    expect(help.stdout).not.toMatch(/tofu-oci-(pack|push)\b/);
  });
});
