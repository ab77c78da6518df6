import { join } from "node:path";
import { memoryContext, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { BUILT_IN_COMMANDS } from "../src/built-ins.js";
import { runUmbrella } from "../src/umbrella.js";

// Under the umbrella, messages, hints and help name the commands as the user runs them.

const scratch = tempDir();
afterAll(() => scratch.cleanup());
const example = join(import.meta.dirname, "..", "..", "..", "examples", "modules", "network");

async function umbrella(args: string[], options: { stdoutIsTTY?: boolean; cwd?: string } = {}) {
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

describe("help and result texts (issue 16, item 12)", () => {
  it("auth login and token offer no --concurrency; login says --registry-config is where it stores", async () => {
    const login = await umbrella(["auth", "login", "--help"]);
    expect(login.stdout).not.toContain("--concurrency");
    expect(login.stdout).toMatch(/--registry-config\s+Docker-style config\.json to store the credentials in/);
    expect((await umbrella(["auth", "token", "--help"])).stdout).not.toContain("--concurrency");
    expect((await umbrella(["push", "--help"])).stdout).toContain("--concurrency");
  });

  it("a required variadic positional shows no empty default", async () => {
    expect((await umbrella(["mirror", "export", "--help"])).stdout).not.toContain("[default: []]");
  });

  it("a push into a layout says how to copy it to a registry with tofu-oci, and counts in words", async () => {
    const zip = join(scratch.path, "net.zip");
    expect((await umbrella(["pack", "module", example, "-o", zip, "--format", "text"])).stdout).toContain(
      "packed 7 files into",
    );
    const pushed = await umbrella(
      ["push", "--oci-layout", `${join(scratch.path, "layout")}:1.0.0`, zip, "--format", "text"],
      { cwd: scratch.path },
    );
    expect(pushed.stderr).toBe("");
    expect(pushed.stdout).toContain(
      `tofu-oci mirror copy --from-oci-layout ${join(scratch.path, "layout")}:1.0.0 HOST/REPO`,
    );
    expect(pushed.stdout).not.toContain("oras cp");
  });
});
