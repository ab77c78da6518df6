import { TofuOciError } from "@tofu-oci/core";
import { memoryContext } from "@tofu-oci/testkit";
import { describe, expect, it } from "vitest";
import { defineCommand } from "./define-command.js";
import { runCli, type CliSpec } from "./run-cli.js";

const greet = defineCommand({
  command: "greet <name>",
  describe: "Say hello",
  builder: (y) => y.positional("name", { type: "string", demandOption: true }).option("fail", { type: "string" }),
  handler: async (args, output) => {
    if (args.fail === "user")
      throw new TofuOciError("not-found", `no such person ${args.name}`, { hint: "Check the name." });
    if (args.fail === "bug") throw new TypeError("undefined is not a function");
    output.record({ kind: "greeting", name: args.name }, (r: { name: string }) => `hello ${r.name}`);
    output.info(`greeted ${args.name}`);
  },
});

const spec: CliSpec = { scriptName: "tofu-oci-test", version: "1.2.3", commands: [greet] };

async function run(args: string[], options: { stdoutIsTTY?: boolean } = {}) {
  const io = memoryContext(options);
  const code = await runCli(spec, args, io.ctx);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe("runCli", () => {
  it("prints NDJSON records when stdout is not a terminal, text when it is or when asked", async () => {
    expect(await run(["greet", "ada"])).toMatchObject({ code: 0, stdout: '{"kind":"greeting","name":"ada"}\n' });
    expect((await run(["greet", "ada"], { stdoutIsTTY: true })).stdout).toBe("hello ada\n");
    expect((await run(["greet", "ada", "--format", "text"])).stdout).toBe("hello ada\n");
  });

  it("gives a typed handler the global flags and the context; a repeated flag's last value counts", async () => {
    expect((await run(["greet", "ada", "--format", "json", "--format", "text"])).stdout).toBe("hello ada\n");
    expect((await run(["greet", "ada", "--format", "text", "--format", "json"], { stdoutIsTTY: true })).stdout).toBe(
      '{"kind":"greeting","name":"ada"}\n',
    );
    expect((await run(["greet", "ada"])).stderr).toBe("greeted ada\n");
    expect(await run(["greet", "ada", "-q"])).toMatchObject({ code: 0, stderr: "" });
  });

  it("prints --version and --help with exit code 0", async () => {
    expect(await run(["--version"])).toMatchObject({ code: 0, stdout: "1.2.3\n" });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("greet <name>");
    expect(help.stdout).toContain("Say hello");
  });

  it.each([
    [["greet"], "Not enough non-option arguments"],
    [["greet", "ada", "--nope"], "unknown option --nope"],
    [["wave"], "unknown command 'wave'"],
    [[], "Name a command"],
    [["greet", "ada", "--format", "xml"], "Invalid values"],
  ])("exits 2 on usage errors: %j", async (args, fragment) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(fragment);
    expect(result.stderr).toContain("--help");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("maps a TofuOciError to its exit code, with its hint and a JSON error record", async () => {
    const result = await run(["greet", "bob", "--fail", "user"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("error: no such person bob\n  Check the name.\n");
    expect(JSON.parse(result.stdout)).toEqual({
      kind: "error",
      code: "not-found",
      message: "no such person bob",
      hint: "Check the name.",
    });
  });

  it("reports a bug as exit code 70 without a stack trace unless --verbose", async () => {
    const quiet = await run(["greet", "bob", "--fail", "bug"]);
    expect(quiet.code).toBe(70);
    expect(quiet.stderr).toContain("unexpected error: undefined is not a function");
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect((await run(["greet", "bob", "--fail", "bug", "--verbose"])).stderr).toMatch(/\n\s+at /);
  });
});
