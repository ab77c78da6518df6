import type { Argv, CommandModule } from "yargs";
import { GLOBAL_OPTIONS, createParser, parserOptions, type ParserOptions } from "./parser.js";
import type { CliSpec } from "./run-cli.js";

/** A positional of a command, from its command string (`<dir>`, `[zip]`, `<refs..>`). */
export interface PositionalInfo {
  /** The positional's name, e.g. `ref`. */
  name: string;
  /** `<name>` (required) rather than `[name]`. */
  required: boolean;
  /** Takes every remaining word (`<refs..>`). */
  variadic: boolean;
}

/** An option a command takes, as its builder (or runCli, for the global ones) declared it. */
export interface OptionInfo {
  /** The long name, e.g. `ca-file`. */
  name: string;
  /** Other names, e.g. `t` for `tag`. */
  aliases: string[];
  /** The value's type; `boolean` options take no value. */
  type: "boolean" | "string" | "number";
  /** Repeatable: each occurrence adds one value (`-t a -t b`). */
  array: boolean;
  /** The only values accepted, when restricted. */
  choices?: string[];
  /** The command fails without it (`usage`, exit 2). */
  required: boolean;
  /** The value when the option is not given, if it has one. */
  default?: unknown;
  /** One of the options every command takes (`--format`, `--quiet`, `--verbose`, `--help`, `--version`). */
  global: boolean;
}

/** A command of a bin with its positionals and options, read from its yargs definition. */
export interface CommandInfo {
  /** The word that runs it; undefined for the bin's default command (`$0 <ref>`). */
  name: string | undefined;
  /** The one-line description; `false` for a hidden command. */
  describe: string | false;
  /** The positionals, in order. */
  positionals: PositionalInfo[];
  /** The options, the global ones included. */
  options: OptionInfo[];
}

/**
 * Every command of a bin with its positionals and options, read from the yargs definitions
 * themselves (each builder runs on a real parser), so shell completion and the CLI contract
 * test cover a new option without a list to keep.
 */
export async function describeCommands(spec: CliSpec): Promise<CommandInfo[]> {
  return Promise.all(spec.commands.map((command) => describeCommand(spec, command)));
}

async function describeCommand(spec: CliSpec, command: CommandModule<any, any>): Promise<CommandInfo> {
  const form = String([command.command ?? ""].flat()[0] ?? "");
  const [word = "", ...rest] = form.trim().split(/\s+/);
  const name = word === "$0" ? undefined : word;
  let captured: ParserOptions | undefined;
  const builder = command.builder;
  const probe: CommandModule<any, any> = {
    ...command,
    builder: (parser: Argv<any>) => {
      const built = typeof builder === "function" ? builder(parser) : parser.options(builder ?? {});
      captured = parserOptions(built as Argv<any>);
      return built as Argv<any>;
    },
  };
  const parser = await createParser({ ...spec, commands: [probe] }, []);
  // --help runs the builder (and nothing else); its text is dropped.
  await parser.parseAsync(name === undefined ? ["--help"] : [name, "--help"], {}, () => {});
  const positionals = rest.map(positionalOf).filter((p): p is PositionalInfo => p !== undefined);
  const options = captured
    ? optionsOf(
        captured,
        positionals.map((p) => p.name),
      )
    : [];
  return { name, describe: typeof command.describe === "string" ? command.describe : false, positionals, options };
}

function positionalOf(token: string): PositionalInfo | undefined {
  const match = /^([<[])([^|\]>.]+)[^\]>]*?(\.\.)?[>\]]$/.exec(token);
  if (!match) return undefined;
  return { name: match[2]!, required: match[1] === "<", variadic: match[3] === ".." };
}

function optionsOf(options: ParserOptions, positionals: string[]): OptionInfo[] {
  // yargs keeps aliases in groups under whichever name declared them (`alias("h", "help")`
  // files `help` under `h`); the long name is the option's name.
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(options.key)) {
    const group = [key, ...(options.alias[key] ?? [])];
    for (const [name, aliases] of Object.entries(options.alias))
      if (aliases.includes(key)) group.push(name, ...aliases);
    const names = [...new Set(group)].sort((a, b) => b.length - a.length);
    groups.set(names[0]!, names.slice(1));
  }
  return [...groups.keys()]
    .filter((key) => !positionals.includes(key) && !options.hiddenOptions.includes(key))
    .map((name) => {
      const info: OptionInfo = {
        name,
        aliases: groups.get(name)!,
        type: options.boolean.includes(name) ? "boolean" : options.number.includes(name) ? "number" : "string",
        array: options.array.includes(name),
        required: name in options.demandedOptions,
        // A command may replace --version with its own option (pack provider --version 1.2.0).
        global: GLOBAL_OPTIONS.includes(name) && (name !== "version" || options.boolean.includes(name)),
      };
      const choices = options.choices[name];
      if (choices) info.choices = choices.map(String);
      if (options.default[name] !== undefined) info.default = options.default[name];
      return info;
    });
}
