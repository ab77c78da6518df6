import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runProcess, tempDir, type BinResult } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { authBin, userEnv } from "./support.js";

const registries = inject("registries");
const umbrella = join(import.meta.dirname, "../../cli/dist/bin.js");

/** Acceptance 4: no output of any auth command contains the password (--reveal is the one explicit exception). */
describe("no secret in any output", () => {
  const dir = tempDir("tofu-oci-auth-secrets-");
  const outputs: Array<{ args: string[]; result: BinResult }> = [];
  afterAll(() => dir.cleanup());

  const run = async (
    mode: "basic" | "token",
    args: string[],
    stdin?: string,
    extraEnv: Record<string, string> = {},
  ) => {
    const home = join(dir.path, mode);
    mkdirSync(home, { recursive: true });
    const result = await authBin(args, userEnv(home, extraEnv), stdin);
    outputs.push({ args, result });
    return result;
  };

  // One test per registry and output format: each runs ~10 processes, well inside the test timeout.
  const modesAndFormats = (["basic", "token"] as const).flatMap((mode) =>
    (["json", "text"] as const).map((format) => [mode, format] as const),
  );
  it.each(modesAndFormats)("runs every command and flag combination against %s, --format %s", async (mode, format) => {
    const { host, username, password } = registries[mode];
    const creds = ["-u", username!, "--plain-http"];
    await run(mode, ["login", host, ...creds, "--password-stdin", "--format", format, "--verbose"], password);
    await run(mode, ["login", host, ...creds, "--password", password!, "--format", format]);
    await run(mode, ["login", host, ...creds, "--password-stdin", "--format", format], `${password}-wrong`);
    for (const reference of [`${host}/a/b`, `oci://${host}/a?tag=1`, host])
      await run(mode, ["resolve", reference, "--format", format, "--verbose"]);
    await run(mode, ["token", `${host}/a/b`, "--plain-http", "--format", format, "--verbose"]);
    await run(mode, ["token", `${host}/a/b`, ...creds, "--password-stdin", "--format", format], password);
  });

  it.each(["basic", "token"] as const)(
    "resolves with a missing credsStore helper, then logs out of %s",
    async (mode) => {
      const { host } = registries[mode];
      const home = join(dir.path, mode);
      mkdirSync(join(home, ".docker"), { recursive: true });
      writeFileSync(join(home, ".docker/config.json"), JSON.stringify({ credsStore: "missing-helper" }));
      await run(mode, ["resolve", `${host}/a/b`, "--format", "text"]);
      outputs.push({
        args: ["umbrella resolve"],
        result: await runProcess(process.execPath, [umbrella, "auth", "resolve", `${host}/a`, "--format", "text"], {
          env: userEnv(home),
        }),
      });
      await run(mode, ["logout", host, "--format", "text"]);
      await run(mode, ["logout", host]);
    },
  );

  it("leaks the password nowhere: not as text, not as base64", () => {
    expect(outputs.length).toBeGreaterThanOrEqual(40);
    for (const mode of ["basic", "token"] as const) {
      const { username, password } = registries[mode];
      const secrets = [password!, Buffer.from(`${username}:${password}`).toString("base64")];
      for (const { args, result } of outputs) {
        for (const secret of secrets) {
          expect(result.stdout, `stdout of ${args.join(" ")}`).not.toContain(secret);
          expect(result.stderr, `stderr of ${args.join(" ")}`).not.toContain(secret);
        }
      }
    }
  });

  it("warns when the password comes from a flag", () => {
    const flagged = outputs.find(({ args }) => args.includes("--password"))!;
    expect(flagged.result.stderr).toContain("a password on the command line can leak");
  });
});
