import type { ArgumentsCamelCase, Argv as YargsArgv, CommandModule as YargsCommandModule } from "yargs";
import type { CommandContext } from "./context.js";
import { Output, type Format } from "./output.js";

/** yargs' parser, which a command's builder receives and returns (so commands need no yargs import). */
export type Argv<T = object> = YargsArgv<T>;

/** A yargs command, as `defineCommand` makes them and `CliSpec.commands` holds them. */
export type CommandModule<T = object, U = object> = YargsCommandModule<T, U>;

/** Options every tofu-oci command takes; `runCli` declares them once for all commands. */
export interface GlobalArgs {
  format?: Format | undefined;
  quiet?: boolean | undefined;
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
  aliases?: string | readonly string[];
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
  const { handler, ...rest } = definition;
  return {
    ...rest,
    handler: async (argv) => {
      const args = handlerArgs(argv);
      await handler(args, outputFor(args));
    },
  };
}

/** Creates the output a handler prints through, from its parsed global flags. */
export function outputFor(args: GlobalArgs & { ctx: CommandContext }): Output {
  return new Output(args.ctx, { format: args.format, quiet: args.quiet, verbose: args.verbose });
}

/** The parsed flags plus what yargs cannot type: the context runCli passes and the global flags. */
function handlerArgs<A>(argv: ArgumentsCamelCase<A>): HandlerArgs<A> {
  const extra: { [name: string]: unknown } = argv;
  const { ctx, format, quiet, verbose } = extra;
  if (!isCommandContext(ctx)) throw new TypeError("a tofu-oci command runs through runCli, which passes it a CommandContext");
  const first = { format: firstOf(format), quiet: firstOf(quiet), verbose: firstOf(verbose) };
  const globals: GlobalArgs = {
    format: first.format === "json" || first.format === "text" ? first.format : undefined,
    quiet: first.quiet === true,
    verbose: first.verbose === true,
  };
  return { ...argv, ...globals, ctx };
}

/** A flag given twice comes as an array; the first occurrence counts, as in runCli's error output. */
function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function isCommandContext(value: unknown): value is CommandContext {
  return typeof value === "object" && value !== null && "stdout" in value && "stderr" in value && "signal" in value && "env" in value;
}
