import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import {
  describeCommands,
  parseCommandLine,
  runCli,
  type CliSpec,
  type CommandContext,
  type CommandInfo,
  type OptionInfo,
  type ParsedCommandLine,
} from "@tofu-oci/cli-kit";
import { memoryContext, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { BUILT_IN_COMMANDS } from "../src/built-ins.js";
import { runUmbrella } from "../src/umbrella.js";

// The CLI contract (issue 16), checked for every option of every command of every bin, read
// from the yargs definitions themselves: a new option is covered without anyone adding it here.
// Each option is given before the positionals, after them, as --opt=value, by its short name,
// and twice (collected when repeatable, else the last value counts); the line is parsed exactly
// as the bin parses it, with every check, and the handler is not run. Plus --help and
// completion of every bin and of the umbrella.

const scratch = tempDir("tofu-oci-contract-");
afterAll(() => scratch.cleanup());

const bins = await Promise.all(
  Object.entries(BUILT_IN_COMMANDS).map(async ([bin, builtIn]) => {
    const spec = await builtIn.load();
    return { bin, spec, commands: await describeCommands(spec) };
  }),
);
const commands = bins.flatMap(({ bin, spec, commands }) =>
  commands.map((command) => ({ bin, spec, command, label: `${bin} ${command.name ?? "(default)"}` })),
);

/** `--help` and `--version` are yargs' own; a command's own --version (pack provider) is tested. */
const testable = (option: OptionInfo) => option.name !== "help" && !(option.name === "version" && option.global);

/** A value of the option's type; `n` tells two values apart. */
function sample(option: OptionInfo, n: number): { word: string; value: unknown } {
  if (option.choices)
    return { word: option.choices[n % option.choices.length]!, value: option.choices[n % option.choices.length] };
  if (option.type === "number") return { word: String(3 + n), value: 3 + n };
  return { word: `${option.name}-${n}`, value: `${option.name}-${n}` };
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Words for the positionals (two for a variadic one) and the values the handler should get. */
function positionals(command: CommandInfo): { words: string[]; expected: Record<string, unknown> } {
  const words: string[] = [];
  const expected: Record<string, unknown> = {};
  for (const positional of command.positionals) {
    const values = positional.variadic ? [`${positional.name}-a`, `${positional.name}-b`] : [`${positional.name}-a`];
    words.push(...values);
    expected[camelCase(positional.name)] = positional.variadic ? values : values[0];
  }
  return { words, expected };
}

/** The required options other than `except`, with their values. */
function required(command: CommandInfo, except: OptionInfo): string[] {
  return command.options
    .filter((option) => option.required && option !== except)
    .flatMap((option) => [`--${option.name}`, sample(option, 0).word]);
}

interface Form {
  name: string;
  args: string[];
  expected: unknown;
}

/** The ways a user types the option, each with the value the handler must get. */
function formsOf(command: CommandInfo, option: OptionInfo): Form[] {
  const path = command.name ? [command.name] : [];
  const { words } = positionals(command);
  const rest = required(command, option);
  const short = option.aliases.find((alias) => alias.length === 1);
  if (option.type === "boolean") {
    const forms: Form[] = [
      { name: "before the positionals", args: [...path, `--${option.name}`, ...words, ...rest], expected: true },
      { name: "after the positionals", args: [...path, ...words, `--${option.name}`, ...rest], expected: true },
      { name: "as --opt=false", args: [...path, ...words, `--${option.name}=false`, ...rest], expected: false },
      { name: "negated", args: [...path, ...words, `--no-${option.name}`, ...rest], expected: false },
    ];
    if (short) forms.push({ name: `as -${short}`, args: [...path, `-${short}`, ...words, ...rest], expected: true });
    if (option.global)
      forms.push({
        name: "before the command",
        args: [`--${option.name}`, ...path, ...words, ...rest],
        expected: true,
      });
    return forms;
  }
  const [first, second] = [sample(option, 0), sample(option, 1)];
  const one = option.array ? [first.value] : first.value;
  const forms: Form[] = [
    {
      name: "before the positionals",
      args: [...path, `--${option.name}`, first.word, ...words, ...rest],
      expected: one,
    },
    {
      name: "after the positionals",
      args: [...path, ...words, `--${option.name}`, first.word, ...rest],
      expected: one,
    },
    { name: "as --opt=value", args: [...path, `--${option.name}=${first.word}`, ...words, ...rest], expected: one },
    {
      name: option.array ? "twice (both collected)" : "twice (the last counts)",
      args: [...path, `--${option.name}`, first.word, ...words, `--${option.name}`, second.word, ...rest],
      expected: option.array ? [first.value, second.value] : second.value,
    },
  ];
  if (short)
    forms.push({ name: `as -${short}`, args: [...path, `-${short}`, first.word, ...words, ...rest], expected: one });
  for (const alias of option.aliases.filter((a) => a.length > 1))
    forms.push({ name: `as --${alias}`, args: [...path, `--${alias}`, first.word, ...words, ...rest], expected: one });
  if (option.global)
    forms.push({
      name: "before the command",
      args: [`--${option.name}`, first.word, ...path, ...words, ...rest],
      expected: one,
    });
  return forms;
}

async function parse(spec: CliSpec, args: string[]): Promise<ParsedCommandLine & { stderr: string }> {
  const io = memoryContext();
  const parsed = await parseCommandLine(spec, args, io.ctx);
  return { ...parsed, stderr: io.stderr() };
}

/** `tofu-oci ARGS` through the umbrella, parsed by the package's own parser and not run. */
async function parseUmbrella(args: string[]): Promise<ParsedCommandLine & { stderr: string }> {
  const io = memoryContext();
  let parsed: ParsedCommandLine = { code: -1 };
  const run = async (spec: CliSpec, nestedArgs: string[], ctx: CommandContext) => {
    parsed = await parseCommandLine(spec, nestedArgs, ctx);
    return parsed.code;
  };
  await runUmbrella(args, io.ctx, { version: "0.0.0", builtIns: BUILT_IN_COMMANDS, run });
  return { ...parsed, stderr: io.stderr() };
}

const cases = commands.flatMap(({ bin, spec, command, label }) =>
  command.options.filter(testable).flatMap((option) =>
    formsOf(command, option).map((form) => ({
      bin,
      spec,
      command,
      option,
      form,
      label: `${label} --${option.name} ${form.name}`,
    })),
  ),
);

describe("every option of every command of every bin", () => {
  it("covers every bin in the workspace and a sane number of options", () => {
    const packagesDir = join(import.meta.dirname, "..", "..");
    const withBins = readdirSync(packagesDir).filter((dir) => {
      const manifest = JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8")) as { bin?: unknown };
      return manifest.bin !== undefined && dir !== "cli";
    });
    expect(bins.map(({ bin }) => bin).sort()).toEqual(withBins.sort());
    expect(commands.length).toBeGreaterThanOrEqual(12);
    expect(new Set(cases.map((c) => `${c.label.split(" --")[0]} ${c.option.name}`)).size).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map((c) => [c.label, c] as const))("%s", async (_label, { spec, command, option, form }) => {
    const result = await parse(spec, form.args);
    expect(result.stderr, form.args.join(" ")).toBe("");
    expect(result.code).toBe(0);
    expect(result.command).toBe(command.name ?? "$0");
    expect(result.args?.[camelCase(option.name)], form.args.join(" ")).toEqual(form.expected);
    expect(result.args).toMatchObject(positionals(command).expected);
  });

  it.each(commands.map((c) => [c.label, c] as const))(
    "tofu-oci %s: global flags before the package name, options before the positionals",
    async (_label, { bin, command }) => {
      const path = command.name ? [command.name] : [];
      const { words, expected } = positionals(command);
      const option = command.options
        .filter(testable)
        .find((candidate) => !candidate.global && candidate.type !== "boolean");
      const extra = option ? [`--${option.name}`, sample(option, 0).word] : [];
      const fillers = command.options
        .filter((candidate) => candidate.required && candidate !== option)
        .flatMap((candidate) => [`--${candidate.name}`, sample(candidate, 0).word]);
      const result = await parseUmbrella([
        "-q",
        "--format",
        "json",
        "-v",
        bin,
        ...path,
        ...extra,
        ...words,
        ...fillers,
      ]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.args).toMatchObject({ ...expected, quiet: true, verbose: true, format: "json" });
      if (option)
        expect(result.args?.[camelCase(option.name)]).toEqual(
          option.array ? [sample(option, 0).value] : sample(option, 0).value,
        );
    },
  );
});

describe("--help and completion of every bin and of the umbrella", () => {
  it.each(commands.map((c) => [c.label, c] as const))(
    "%s --help names every option",
    async (_label, { spec, command }) => {
      const io = memoryContext();
      expect(await runCli(spec, [...(command.name ? [command.name] : []), "--help"], io.ctx)).toBe(0);
      for (const option of command.options) expect(io.stdout()).toContain(`--${option.name}`);
    },
  );

  it.each(bins.map((b) => [b.bin, b] as const))(
    "tofu-oci-%s completion prints a script, and completes every flag of every command",
    async (_bin, { spec, commands: infos }) => {
      const io = memoryContext();
      expect(await runCli(spec, ["completion"], io.ctx)).toBe(0);
      expect(io.stdout()).toContain(
        `complete -o bashdefault -o default -F _${spec.scriptName}_yargs_completions ${spec.scriptName}`,
      );
      for (const command of infos) {
        const query = memoryContext();
        await runCli(
          spec,
          ["--get-yargs-completions", spec.scriptName, ...(command.name ? [command.name] : []), "--"],
          query.ctx,
        );
        const offered = query.stdout().split("\n");
        for (const option of command.options)
          expect(offered, `${spec.scriptName} ${command.name ?? ""}`).toContain(`--${option.name}`);
        expect(offered.filter((flag) => /^--.$/.test(flag))).toEqual([]);
      }
    },
  );

  it("tofu-oci completion prints a script; its queries offer the commands, plugins and every flag of a package's command", async () => {
    const plugin = join(scratch.path, "tofu-oci-hello");
    writeFileSync(plugin, "#!/bin/sh\necho hello\n");
    chmodSync(plugin, 0o755);
    const env = { PATH: `${scratch.path}${delimiter}${process.env.PATH}` };
    const script = memoryContext({ env });
    expect(await runUmbrella(["completion"], script.ctx, { version: "0.0.0", builtIns: BUILT_IN_COMMANDS })).toBe(0);
    expect(script.stdout()).toContain("complete -o bashdefault -o default -F _tofu-oci_yargs_completions tofu-oci");

    const complete = async (words: string[]) => {
      const io = memoryContext({ env });
      await runUmbrella(["--get-yargs-completions", "tofu-oci", ...words], io.ctx, {
        version: "0.0.0",
        builtIns: BUILT_IN_COMMANDS,
      });
      return io.stdout().split("\n").filter(Boolean);
    };
    expect(await complete([""])).toEqual(
      expect.arrayContaining([...Object.keys(BUILT_IN_COMMANDS), "hello", "help", "completion"]),
    );
    expect(await complete(["-q", ""])).toEqual(expect.arrayContaining(Object.keys(BUILT_IN_COMMANDS)));
    expect(await complete(["--"])).toEqual(expect.arrayContaining(["--format", "--quiet", "--verbose"]));
    expect(await complete(["help", ""])).toEqual(expect.arrayContaining([...Object.keys(BUILT_IN_COMMANDS), "hello"]));
    for (const { bin, command } of commands) {
      const offered = await complete([bin, ...(command.name ? [command.name] : []), "--"]);
      for (const option of command.options)
        expect(offered, `tofu-oci ${bin} ${command.name ?? ""}`).toContain(`--${option.name}`);
      expect(offered.filter((flag) => /^--.$/.test(flag))).toEqual([]);
    }
  });

  it("tofu-oci --help and tofu-oci help list the plugins on PATH; help [cmd [sub]] is that command's --help", async () => {
    const env = { PATH: `${scratch.path}${delimiter}${process.env.PATH}` };
    writeFileSync(join(scratch.path, "tofu-oci-hello"), "#!/bin/sh\necho hello\n");
    chmodSync(join(scratch.path, "tofu-oci-hello"), 0o755);
    const help = async (args: string[]) => {
      const io = memoryContext({ env });
      const code = await runUmbrella(args, io.ctx, { version: "0.0.0", builtIns: BUILT_IN_COMMANDS });
      return { code, stdout: io.stdout(), stderr: io.stderr() };
    };
    for (const args of [["--help"], ["help"]]) {
      const result = await help(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/tofu-oci hello\s+\(plugin\) .*tofu-oci-hello/);
    }
    const mirror = await help(["help", "mirror"]);
    expect(mirror).toMatchObject({ code: 0, stderr: "" });
    expect(mirror.stdout).toContain("tofu-oci mirror copy <src> <dst>");
    const copy = await help(["help", "mirror", "copy"]);
    expect(copy.stdout).toContain("tofu-oci mirror copy <src> <dst>");
    expect(copy.stdout).toContain("--to-oci-layout");
    const verbose = await help(["-v", "mirror", "--help"]);
    expect(verbose.stdout).toContain("tofu-oci mirror providers");
    expect((await help(["help", "nosuch"])).code).toBe(2);
  });
});
