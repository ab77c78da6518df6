import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binPath, runInTerminal, runProcess, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";

// What a user at a real terminal (a pseudo-terminal from util-linux `script`) and a shell
// pipeline closed early see: stdin on a terminal is never read silently, a password typed at a
// terminal is not echoed, and `... | head -1` ends the command quietly.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-terminal-");
afterAll(() => scratch.cleanup());

/** A HOME without credentials or CLI configuration. */
function userEnv(name: string): Record<string, string | undefined> {
  const home = join(scratch.path, name);
  mkdirSync(home, { recursive: true });
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_RUNTIME_DIR: undefined,
    DOCKER_CONFIG: undefined,
    REGISTRY_AUTH_FILE: undefined,
    TF_CLI_CONFIG_FILE: undefined,
  };
}

describe("stdin on a terminal", () => {
  it.each([
    [["verify"], "no artifact records to read: stdin is a terminal", "tofu-oci push REF ZIP | tofu-oci verify"],
    [["verify", "-"], "no artifact records to read: stdin is a terminal", "give REF as an argument"],
    [
      ["push", "127.0.0.1:1/net:1.0.0"],
      "no package records to read: stdin is a terminal",
      "tofu-oci pack module DIR | tofu-oci push REF",
    ],
  ])("tofu-oci %j fails at once, naming what to pipe or pass", async (args, message, hint) => {
    const result = await runInTerminal(process.execPath, [binPath("cli"), ...args], {
      env: userEnv("records"),
      timeoutMs: 20_000,
    });
    expect(result.code, result.screen).toBe(2);
    expect(result.screen).toContain(`error: ${message}`);
    expect(result.screen).toContain(hint);
  });

  it("--password-stdin prompts without echo and ends at Enter", async () => {
    const { host, username, password } = registries.basic;
    const env = userEnv("login");
    const args = [
      binPath("auth"),
      "login",
      host,
      "-u",
      username!,
      "--password-stdin",
      "--plain-http",
      "--registry-config",
      join(env.HOME!, "auth.json"),
      "--format",
      "text",
    ];
    const result = await runInTerminal(process.execPath, args, {
      env,
      type: { after: "Password: ", text: `${password}\r` },
      timeoutMs: 20_000,
    });
    expect(result.code, result.screen).toBe(0);
    expect(result.screen).toContain(`Login succeeded for ${host}`);
    expect(result.screen).not.toContain(password!);
    expect(JSON.parse(readFileSync(join(env.HOME!, "auth.json"), "utf8")).auths[host].auth).toBe(
      Buffer.from(`${username}:${password}`).toString("base64"),
    );
  });
});

describe("a reader that stops early (... | head -1)", () => {
  it("ends the command quietly with exit code 0, also through the umbrella", async () => {
    // One record per file and 4000 files: far more than a pipe holds, so head exits mid-output.
    const module = join(scratch.path, "many-files");
    mkdirSync(module);
    writeFileSync(join(module, "main.tf"), 'variable "x" {}\n');
    for (let i = 0; i < 4000; i++) writeFileSync(join(module, `file-${i}.txt`), "x");
    for (const bin of [[binPath("pack")], [binPath("cli"), "pack"]]) {
      const errors = join(scratch.path, "stderr.txt");
      const line = `"$0" "$@" module "${module}" --dry-run --format json 2>"${errors}" | head -1; echo "exit \${PIPESTATUS[0]}" >&2`;
      const result = await runProcess("bash", ["-c", line, process.execPath, ...bin]);
      expect(result.stderr).toBe("exit 0\n");
      expect(readFileSync(errors, "utf8")).toBe("");
      expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ kind: "file" });
    }
  });
});
