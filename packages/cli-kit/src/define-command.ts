import type { ArgumentsCamelCase, Argv as YargsArgv, CommandModule as YargsCommandModule } from "yargs";
import { configFor } from "./config.js";
import type { CommandContext } from "./context.js";
import { Output, type Format } from "./output.js";
import { parserOptions } from "./parser.js";

/** yargs' parser, which a command's builder receives and returns (so commands need no yargs import). */
export type Argv<T = object> = YargsArgv<T>;

/** A yargs command, as `defineCommand` makes them and `CliSpec.commands` holds them. */
export type CommandModule<T = object, U = object> = YargsCommandModule<T, U>;

/** Options every tofu-oci command takes; `runCli` declares them once for all commands. */
export interface GlobalArgs {
  /** `--format json|text`. Default: json when stdout is not a terminal. */
  format?: Format | undefined;
  /** `--quiet`: no progress or info lines. */
  quiet?: boolean | undefined;
  /** `--verbose`: requests, retries and decisions on stderr. */
  verbose?: boolean | undefined;
}

/**
 * What a command's handler receives: the flags its builder declared (under their camelCase
 * names too, as yargs gives them), the global flags, and the context `runCli` was given.
 */
export type HandlerArgs<A> = ArgumentsCamelCase<A> & GlobalArgs & { ctx: CommandContext };

/** A command of a tofu-oci CLI: how it is called, its flags, and what it does. */
export interface CommandDefinition<A> {
  /** The command and its positionals, e.g. `module <dir>`; `$0 <ref>` for a bin's default command. */
  command: string | readonly string[];
  /** One line for --help; `false` hides the command. */
  describe: string | false;
  /** Other names the command runs under. */
  aliases?: string | readonly string[];
  /** Marks the command deprecated in --help; a string says what to use instead. */
  deprecated?: boolean | string;
  /** Declares positionals, options and examples; their types become the handler's `args`. */
  builder: (parser: Argv) => Argv<A>;
  /**
   * Maps `args` to the library's options and prints its records through `output`. Import the
   * library here (`await import("./verb.js")`), so that --help and --version do not load it.
   */
  handler: (args: HandlerArgs<A>, output: Output) => void | Promise<void>;
}

/**
 * A yargs command whose handler is typed by its builder: `defineCommand({ command, describe,
 * builder: (y) => y.positional("dir", { type: "string", demandOption: true }), handler: (args,
 * output) => ... })` gives `args.dir` the type `string`, with no cast. The handler also gets the
 * global flags, the context and an {@link Output} made from them.
 */
export function defineCommand<A>(definition: CommandDefinition<A>): CommandModule<object, A> {
  const { handler, builder, ...rest } = definition;
  const form = String([definition.command].flat()[0] ?? "");
  const name = form.split(/\s+/)[0] ?? "";
  const positionals = [...form.matchAll(/[<[]([^|\]>.]+)/g)].map((match) => match[1]!);
  return {
    ...rest,
    builder: (parser) => valuesRequired(builder(parser), positionals),
    handler: async (argv) => {
      const args = handlerArgs(argv);
      const dryRun = (argv as { [DRY_RUN]?: DryRun })[DRY_RUN];
      if (dryRun) return dryRun(name, args);
      // A broken config file stops every command, also those that use none of its keys.
      await configFor(args.ctx);
      await handler(args, outputFor(args));
    },
  };
}

/** Where `runCli` tells the handlers the name the command runs under (for {@link outputFor}). */
export const SCRIPT_NAME = Symbol("tofu-oci script name");

/** Where `parseCommandLine` asks the handlers to hand over their args instead of running. */
export const DRY_RUN = Symbol("tofu-oci dry run");

/** Receives what a handler would have run with. */
export type DryRun = (command: string, args: HandlerArgs<unknown>) => void;

/**
 * Every option that takes a value demands one, so `--tag` at the end of a line or before
 * another flag is a usage error instead of an empty value (yargs' `requiresArg`).
 */
function valuesRequired<A>(parser: Argv<A>, positionals: readonly string[]): Argv<A> {
  const options = parserOptions(parser);
  const aliases = new Set(Object.values(options.alias).flat());
  const valued = [...options.string, ...options.number, ...options.array, ...Object.keys(options.choices)];
  const keys = [...new Set(valued)].filter((key) => !aliases.has(key) && !positionals.includes(key));
  return keys.length > 0 ? parser.requiresArg(keys) : parser;
}

/** Creates the output a handler prints through, from its parsed global flags. */
export function outputFor(args: GlobalArgs & { ctx: CommandContext }): Output {
  const scriptName = (args as { [SCRIPT_NAME]?: string })[SCRIPT_NAME];
  return new Output(args.ctx, { format: args.format, quiet: args.quiet, verbose: args.verbose, scriptName });
}

/** The parsed flags plus what yargs cannot type: the context runCli passes and the global flags. */
function handlerArgs<A>(argv: ArgumentsCamelCase<A>): HandlerArgs<A> {
  const extra: { [name: string]: unknown } = argv;
  const { ctx, format, quiet, verbose } = extra;
  if (!isCommandContext(ctx))
    throw new TypeError("a tofu-oci command runs through runCli, which passes it a CommandContext");
  const globals: GlobalArgs = {
    format: format === "json" || format === "text" ? format : undefined,
    quiet: quiet === true,
    verbose: verbose === true,
  };
  return { ...argv, ...globals, ctx };
}

function isCommandContext(value: unknown): value is CommandContext {
  return (
    typeof value === "object" &&
    value !== null &&
    "stdout" in value &&
    "stderr" in value &&
    "signal" in value &&
    "env" in value
  );
}
