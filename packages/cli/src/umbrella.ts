import {
  COMPLETIONS_FLAG,
  Output,
  completeWords,
  describeCommands,
  outputOptionsFromArgs,
  runCli,
  suggest,
  type CliSpec,
  type CommandContext,
  type CommandModule,
} from "@tofu-oci/cli-kit";
import { usageError } from "@tofu-oci/core";
import type { BuiltInCommand } from "./built-ins.js";
import { PLUGIN_PREFIX, findPlugin, listPlugins, runPlugin } from "./plugins.js";

/** The umbrella's version and its built-in commands. */
export interface UmbrellaOptions {
  /** The version `tofu-oci --version` prints. */
  version: string;
  /** The commands of the packages bundled with the umbrella, by command name (`pack`, `push`...). */
  builtIns: Record<string, BuiltInCommand>;
  /**
   * Runs a built-in package's CLI (and the umbrella's own). Default: cli-kit's `runCli`; the CLI
   * contract test passes a runner that parses without running.
   */
  run?: (spec: CliSpec, args: string[], ctx: CommandContext) => Promise<number>;
}

/** Commands of the umbrella itself, which no plugin can shadow. */
const OWN_COMMANDS = ["completion", "help"];

/** The global flags (with how many values each takes) that may come before the command. */
const GLOBAL_FLAGS: Record<string, number> = { "-q": 0, "--quiet": 0, "-v": 0, "--verbose": 0, "--format": 1 };

/**
 * `tofu-oci <cmd> ...`: runs a built-in package's CLI in-process, or else the executable
 * `tofu-oci-<cmd>` from PATH with the remaining arguments; an unknown command is a usage error
 * with the closest names. Global flags may come before the command (`tofu-oci -q pack ...`),
 * `tofu-oci help [cmd...]` is `--help` of that command, and completion covers the built-in
 * commands' flags and the plugins on PATH.
 */
export async function runUmbrella(args: string[], ctx: CommandContext, options: UmbrellaOptions): Promise<number> {
  const run = options.run ?? runCli;
  if (args[0] === COMPLETIONS_FLAG) return printCompletions(args.slice(2), ctx, options);
  const { globals, name, rest } = splitCommand(args);
  if (name === "help") return help(rest, globals, ctx, options);
  const builtIn = name === undefined ? undefined : options.builtIns[name];
  if (builtIn) return run(nested(await builtIn.load(), name!), [...globals, ...rest], ctx);
  if (name !== undefined && !OWN_COMMANDS.includes(name)) {
    const plugin = findPlugin(name, ctx.env.PATH);
    if (plugin) return runPlugin(plugin, [...globals, ...rest], ctx.env);
    return new Output(ctx, outputOptionsFromArgs(globals)).error(
      unknownCommand(name, [...Object.keys(options.builtIns), ...plugins(ctx, options).keys()]),
    );
  }
  return run(umbrellaSpec(ctx, options), args, ctx);
}

/** The leading global flags, the command's name and the arguments after it. */
function splitCommand(args: string[]): { globals: string[]; name: string | undefined; rest: string[] } {
  let i = 0;
  while (i < args.length && GLOBAL_FLAGS[args[i]!] !== undefined) i += 1 + GLOBAL_FLAGS[args[i]!]!;
  while (i < args.length && args[i]!.startsWith("--format=")) i++;
  const name = args[i];
  if (name === undefined || name.startsWith("-")) return { globals: [], name: undefined, rest: args };
  return { globals: args.slice(0, i), name, rest: args.slice(i + 1) };
}

/** `tofu-oci help [cmd [subcmd]]`: the --help of the umbrella, a package's command, or a plugin. */
async function help(
  words: string[],
  globals: string[],
  ctx: CommandContext,
  options: UmbrellaOptions,
): Promise<number> {
  const run = options.run ?? runCli;
  const [name, ...rest] = words;
  if (name === undefined) return run(umbrellaSpec(ctx, options), [...globals, "--help"], ctx);
  const builtIn = options.builtIns[name];
  if (builtIn) return run(nested(await builtIn.load(), name), [...globals, ...rest, "--help"], ctx);
  const plugin = findPlugin(name, ctx.env.PATH);
  if (plugin && !OWN_COMMANDS.includes(name)) return runPlugin(plugin, [...rest, "--help"], ctx.env);
  return new Output(ctx, outputOptionsFromArgs(globals)).error(
    unknownCommand(name, [...Object.keys(options.builtIns), ...plugins(ctx, options).keys()]),
  );
}

/** A package's CLI as the umbrella runs it: `tofu-oci pack` rather than `tofu-oci-pack`. */
function nested(spec: CliSpec, name: string): CliSpec {
  return { ...spec, scriptName: `tofu-oci ${name}` };
}

/**
 * Answers the completion script: the umbrella's commands, flags and plugins for the first word,
 * and after a built-in command whatever that package's own completion offers.
 */
async function printCompletions(words: string[], ctx: CommandContext, options: UmbrellaOptions): Promise<number> {
  const { name, rest } = splitCommand(words);
  const typingName = name === undefined || rest.length === 0;
  const builtIn = name === undefined ? undefined : options.builtIns[name];
  let candidates: string[];
  if (typingName) candidates = completeWords(await describeCommands(umbrellaSpec(ctx, options)), words, ["completion"]);
  else if (builtIn) candidates = completeWords(await describeCommands(nested(await builtIn.load(), name!)), rest);
  else if (name === "help" && rest.length === 1)
    candidates = [...Object.keys(options.builtIns), ...plugins(ctx, options).keys()];
  else candidates = [];
  ctx.stdout.write(candidates.map((candidate) => `${candidate}\n`).join(""));
  return 0;
}

/** The umbrella's own command line: its commands, the plugins on PATH, help and completion. */
function umbrellaSpec(ctx: CommandContext, options: UmbrellaOptions): CliSpec {
  const found = [...plugins(ctx, options)].map(([name, path]) => listing(name, `(plugin) ${path}`));
  return {
    scriptName: "tofu-oci",
    version: options.version,
    commands: [
      ...Object.entries(options.builtIns).map(([command, { describe }]) => listing(command, describe)),
      ...found,
      listing("help [command..]", "Show the help of a command, e.g. tofu-oci help mirror copy"),
    ],
    epilogue: [
      "Examples:",
      "  tofu-oci pack module ./net | tofu-oci push registry.example.com/modules/net:1.0.0 | tofu-oci verify",
      "  tofu-oci auth resolve registry.example.com/modules/net",
      "  tofu-oci mirror copy registry.example.com/modules/net:1.0.0 ./air-gap --to-oci-layout",
      "  tofu-oci help mirror copy",
      "",
      `Any executable named ${PLUGIN_PREFIX}<cmd> on PATH runs as "tofu-oci <cmd>".`,
    ].join("\n"),
  };
}

/** The plugins on PATH, by name, except the built-in packages' own bins. */
function plugins(ctx: CommandContext, options: UmbrellaOptions): Map<string, string> {
  return listPlugins(ctx.env.PATH, [...Object.keys(options.builtIns), ...OWN_COMMANDS]);
}

/** A command shown in --help; running it goes through the branches above instead. */
function listing(command: string, describe: string): CommandModule {
  return { command, describe, handler: () => {} };
}

function unknownCommand(name: string, known: string[]) {
  const candidates = suggest(name, known)
    .slice(0, 2)
    .map((candidate) => `'${candidate}'`);
  const message = `unknown command '${name}'${candidates.length > 0 ? `; did you mean ${candidates.join(" or ")}?` : ""}`;
  return usageError(
    message,
    `There is no built-in command and no ${PLUGIN_PREFIX}${name} on PATH; run tofu-oci --help for the commands.`,
  );
}
