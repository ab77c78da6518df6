import { memoryContext } from "@tofu-oci/testkit";
import { describe, expect, it } from "vitest";
import { describeCommands } from "./command-info.js";
import { completeWords } from "./completion.js";
import { defineCommand } from "./define-command.js";
import { parseCommandLine, runCli, type CliSpec } from "./run-cli.js";

// The parsing rules every bin gets from cli-kit: one value per occurrence, options anywhere,
// the last value of a non-repeatable option, typo suggestions and completion from the
// commands' own definitions.

const push = defineCommand({
  command: "$0 <ref> [zip]",
  describe: "Push",
  builder: (y) =>
    y
      .positional("ref", { type: "string", demandOption: true })
      .positional("zip", { type: "string" })
      .option("tag", { alias: "t", type: "string", array: true })
      .option("ca-file", { type: "string" })
      .option("concurrency", { type: "number" })
      .option("force", { type: "boolean" })
      .option("recursive", { type: "boolean", default: true })
      .option("type", { choices: ["module", "provider"] as const }),
  handler: () => {
    throw new Error("parseCommandLine must not run a handler");
  },
});

/** The export command under another name, as a stand-in for other commands. */
function renamed(command: string): CliSpec["commands"][number] {
  return { ...exportCommand, command } as CliSpec["commands"][number];
}

const exportCommand = defineCommand({
  command: "export <refs..>",
  describe: "Export",
  builder: (y) =>
    y
      .positional("refs", { type: "string", array: true, demandOption: true })
      .option("output", { alias: "o", type: "string", demandOption: true }),
  handler: () => {},
});

const spec: CliSpec = { scriptName: "tofu-oci-test", version: "1.0.0", commands: [exportCommand, push] };

async function parse(args: string[]) {
  const io = memoryContext();
  const parsed = await parseCommandLine(spec, args, io.ctx);
  return { ...parsed, stderr: io.stderr() };
}

describe("one value per occurrence, wherever the option is", () => {
  it.each([
    [["-t", "x", "REF", "net.zip"]],
    [["REF", "-t", "x", "net.zip"]],
    [["REF", "net.zip", "-t", "x"]],
    [["--tag=x", "REF", "net.zip"]],
    [["REF", "net.zip", "--tag=x"]],
  ])("%j: the repeatable option takes one word; REF and ZIP stay positionals", async (args) => {
    const { code, args: parsed } = await parse(args);
    expect(code).toBe(0);
    expect(parsed).toMatchObject({ ref: "REF", zip: "net.zip", tag: ["x"] });
  });

  it("collects a repeatable option given several times, in order", async () => {
    expect((await parse(["-t", "a", "REF", "--tag", "b", "net.zip", "--tag=c"])).args).toMatchObject({
      tag: ["a", "b", "c"],
      ref: "REF",
      zip: "net.zip",
    });
  });

  it("keeps the last value of an option that is not repeatable", async () => {
    expect(
      (await parse(["REF", "--ca-file", "a.pem", "--ca-file", "b.pem", "--concurrency", "2", "--concurrency=3"])).args,
    ).toMatchObject({ caFile: "b.pem", concurrency: 3 });
  });

  it("takes every remaining word for a variadic positional, with options among them", async () => {
    expect((await parse(["export", "a", "-o", "x.tar", "b", "c"])).args).toMatchObject({
      refs: ["a", "b", "c"],
      output: "x.tar",
    });
  });

  it.each([
    [["REF", "--tag"], "Not enough arguments following: tag"],
    [["REF", "--tag", "--force"], "Not enough arguments following: tag"],
    [["REF", "--ca-file"], "Not enough arguments following: ca-file"],
    [["REF", "--format"], "Not enough arguments following: format"],
  ])("%j: an option without its value is a usage error", async (args, message) => {
    const result = await parse(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe("typos", () => {
  it("names the unknown option and the closest one, without a camelCase copy", async () => {
    const result = await parse(["REF", "--ca-fil", "x.pem"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: unknown option --ca-fil; did you mean --ca-file?\n  Run tofu-oci-test --help for usage.\n",
    );
  });

  it("names an unknown command and the closest one, and nothing else", async () => {
    const mirror: CliSpec = {
      scriptName: "tofu-oci-mirror",
      version: "1",
      commands: [renamed("providers [provider..]"), renamed("copy <src> <dst>")],
    };
    const io = memoryContext();
    expect(await runCli(mirror, ["provider", "hashicorp/aws"], io.ctx)).toBe(2);
    expect(io.stderr()).toBe(
      "error: unknown command 'provider'; did you mean 'providers'?\n  Run tofu-oci-mirror --help for usage.\n",
    );
  });
});

describe("completion", () => {
  it("prints a bash completion script for `completion`, also for a bin with a default command", async () => {
    const io = memoryContext();
    expect(await runCli(spec, ["completion"], io.ctx)).toBe(0);
    expect(io.stdout()).toContain("--get-yargs-completions");
    expect(io.stdout()).toContain(
      "complete -o bashdefault -o default -F _tofu-oci-test_yargs_completions tofu-oci-test",
    );
  });

  it("offers commands, the default command's flags with their short forms, and choices", async () => {
    const commands = await describeCommands(spec);
    expect(completeWords(commands, [""])).toEqual(["export"]);
    const flags = completeWords(commands, ["--"]);
    expect(flags).toEqual(
      expect.arrayContaining(["--tag", "-t", "--ca-file", "--force", "--no-recursive", "--format", "--quiet", "-q"]),
    );
    expect(flags.filter((flag) => /^--.$/.test(flag))).toEqual([]);
    expect(completeWords(commands, ["export", "a", "-"])).toEqual(
      expect.arrayContaining(["--output", "-o", "--format"]),
    );
    expect(completeWords(commands, ["export", "a", "-"])).not.toContain("--tag");
    expect(completeWords(commands, ["REF", "--type", ""])).toEqual(["module", "provider"]);
    expect(completeWords(commands, ["REF", "--ca-file", ""])).toEqual([]);
    // A non-repeatable flag already given is not offered again; a repeatable one is.
    expect(completeWords(commands, ["REF", "--force", "-t", "x", "--"])).toEqual(expect.arrayContaining(["--tag"]));
    expect(completeWords(commands, ["REF", "--force", "-t", "x", "--"])).not.toContain("--force");
  });

  it("answers the completion script's queries through runCli", async () => {
    const io = memoryContext();
    expect(await runCli(spec, ["--get-yargs-completions", "tofu-oci-test", "export", "a", "--o"], io.ctx)).toBe(0);
    expect(io.stdout().split("\n")).toContain("--output");
  });
});
