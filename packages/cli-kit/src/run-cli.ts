import { TofuOciError, isTofuOciError } from "@tofu-oci/core";
import type { Argv, CommandModule } from "yargs";
import { describeCommands } from "./command-info.js";
import { COMPLETIONS_FLAG, completeWords, completionScript } from "./completion.js";
import type { CommandContext } from "./context.js";
import { DRY_RUN, SCRIPT_NAME, type DryRun, type HandlerArgs } from "./define-command.js";
import { OutputClosed } from "./output-closed.js";
import { Output, asRunBy, type Format } from "./output.js";
import { UnknownArguments, createParser } from "./parser.js";
import { firstWord, unknownArgumentsError } from "./unknown-arguments.js";

/** A whole command line: its name, version, yargs commands and help epilogue; `runCli` runs it. */
export interface CliSpec {
  /** The bin's name, e.g. `tofu-oci-pack`; `tofu-oci pack` when the umbrella runs it. */
  scriptName: string;
  /** What `--version` prints. */
  version: string;
  /** The bin's commands, as `defineCommand` makes them. */
  commands: ReadonlyArray<CommandModule<any, any>>;
  /** Shown under the command list, e.g. examples and links. */
  epilogue?: string;
  /** Adds to the parser before parsing, e.g. examples. */
  configure?: (parser: Argv) => Argv;
}

/**
 * Parses `args` and runs the matching command. Returns the exit code; never throws and never
 * calls process.exit, so it runs the same in a bin and in tests. Also answers `completion`
 * (the shell script) and the script's `--get-yargs-completions` queries.
 */
export async function runCli(spec: CliSpec, args: string[], ctx: CommandContext): Promise<number> {
  return execute(spec, args, ctx, undefined);
}

/** What a command line parses to: the command's name and the args its handler would get. */
export interface ParsedCommandLine {
  /** The exit code: 0 when the line parsed (or printed help), else the usage error's. */
  code: number;
  /** The command that would run: its name, or `$0` for the default command. */
  command?: string;
  /** The parsed arguments the handler would get, when the line parsed. */
  args?: HandlerArgs<Record<string, unknown>>;
}

/**
 * Parses a command line exactly as {@link runCli} does, with every check, but calls no handler:
 * for tests and tools that need to know what a line means (the CLI contract test).
 */
export async function parseCommandLine(spec: CliSpec, args: string[], ctx: CommandContext): Promise<ParsedCommandLine> {
  let parsed: Omit<ParsedCommandLine, "code"> = {};
  const code = await execute(spec, args, ctx, (command, handlerArgs) => {
    parsed = { command, args: handlerArgs as HandlerArgs<Record<string, unknown>> };
  });
  return { code, ...parsed };
}

async function execute(
  spec: CliSpec,
  args: string[],
  ctx: CommandContext,
  dryRun: DryRun | undefined,
): Promise<number> {
  const output = new Output(ctx, { ...outputOptionsFromArgs(args), scriptName: spec.scriptName });
  try {
    if (args[0] === COMPLETIONS_FLAG) {
      const words = completeWords(
        await describeCommands(spec),
        args.slice(2),
        spec.scriptName.includes(" ") ? [] : ["completion"],
      );
      ctx.stdout.write(words.map((word) => `${word}\n`).join(""));
      return 0;
    }
    if (!spec.scriptName.includes(" ") && firstWord(args) === "completion") {
      ctx.stdout.write(await completionScript(spec.scriptName));
      return 0;
    }
    const parser = await createParser(spec, args);
    let printed = "";
    await parser.parseAsync(
      args,
      { ctx, [SCRIPT_NAME]: spec.scriptName, ...(dryRun ? { [DRY_RUN]: dryRun } : {}) },
      (_error, _argv, text) => {
        printed = text;
      },
    );
    if (printed) ctx.stdout.write(`${asRunBy(spec.scriptName, printed)}\n`);
    return 0;
  } catch (error) {
    if (ctx.signal.reason instanceof OutputClosed) return 0;
    return output.error(await explain(spec, args, ctx, error));
  }
}

/** The error to report: unknown arguments with suggestions, or cancellation. */
async function explain(spec: CliSpec, args: string[], ctx: CommandContext, error: unknown): Promise<unknown> {
  if (error instanceof UnknownArguments)
    return unknownArgumentsError(error.names, args, await describeCommands(spec), spec.scriptName);
  if (ctx.signal.aborted)
    return isTofuOciError(ctx.signal.reason)
      ? ctx.signal.reason
      : new TofuOciError("cancelled", "cancelled", { cause: error });
  return error;
}

/**
 * The output flags of a command line, read directly (the last `--format` counts), so that
 * errors during parsing are reported in the requested format.
 */
export function outputOptionsFromArgs(args: readonly string[]): { format?: Format; quiet: boolean; verbose: boolean } {
  let format: string | undefined;
  args.forEach((arg, i) => {
    if (arg === "--format") format = args[i + 1];
    else if (arg.startsWith("--format=")) format = arg.slice("--format=".length);
  });
  const result: { format?: Format; quiet: boolean; verbose: boolean } = {
    quiet: args.includes("--quiet") || args.includes("-q"),
    verbose: args.includes("--verbose") || args.includes("-v"),
  };
  if (format === "json" || format === "text") result.format = format;
  return result;
}

/** Wraps a package's commands as one command of the umbrella CLI, e.g. `tofu-oci pack ...`. */
export function nestCommands(
  name: string,
  describe: string,
  commands: ReadonlyArray<CommandModule<any, any>>,
): CommandModule {
  return {
    command: name,
    describe,
    builder: (y) => {
      const nested = y.command([...commands]);
      const hasDefault = commands.some((c) => [c.command].flat().some((form) => String(form).startsWith("$0")));
      return hasDefault ? nested : nested.demandCommand(1, `Name a ${name} command; see tofu-oci ${name} --help.`);
    },
    handler: () => {},
  };
}
