import { TofuOciError, usageError } from "@tofu-oci/core";
import type { Argv, CommandModule } from "yargs";
import type { CommandContext } from "./context.js";
import { Output, type Format } from "./output.js";
import { loadYargs, withoutHelpCache } from "./yargs-loader.js";

/** A whole command line: its name, version, yargs commands and help epilogue; `runCli` runs it. */
export interface CliSpec {
  /** The bin's name, e.g. `tofu-oci-pack`. */
  scriptName: string;
  version: string;
  commands: ReadonlyArray<CommandModule<any, any>>;
  /** Shown under the command list, e.g. examples and links. */
  epilogue?: string;
  /** Adds to the parser before parsing, e.g. examples. */
  configure?: (parser: Argv) => Argv;
}

/**
 * Parses `args` and runs the matching command. Returns the exit code; never throws and never
 * calls process.exit, so it runs the same in a bin and in tests.
 */
export async function runCli(spec: CliSpec, args: string[], ctx: CommandContext): Promise<number> {
  const { yargs } = await loadYargs();
  let parser: Argv<any> = yargs(args)
    .scriptName(spec.scriptName)
    .parserConfiguration({ "populate--": true })
    .option("format", {
      choices: ["json", "text"] as const,
      describe: "Output: json (NDJSON records) or text; default json when stdout is not a terminal",
      global: true,
    })
    .option("quiet", { alias: "q", type: "boolean", describe: "Print no progress or status on stderr", global: true })
    .option("verbose", {
      alias: "v",
      type: "boolean",
      describe: "Print requests and decisions on stderr",
      global: true,
    })
    .command([...spec.commands])
    .demandCommand(1, "Name a command; see --help.")
    .recommendCommands()
    .strict()
    .version(spec.version)
    .help()
    .alias("h", "help")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? usageError(message ?? "invalid arguments", `Run ${spec.scriptName} --help for usage.`);
    });
  if (spec.epilogue) parser = parser.epilogue(spec.epilogue);
  // A package nested in the umbrella (`tofu-oci pack`) is completed by the umbrella's script.
  if (!spec.scriptName.includes(" "))
    parser = parser.completion(
      "completion",
      `Print a bash/zsh completion script: ${spec.scriptName} completion >> ~/.bashrc`,
    );
  if (spec.configure) parser = spec.configure(parser);
  withoutHelpCache(parser);

  const output = new Output(ctx, flagsOf(args));
  try {
    let printed = "";
    await parser.parseAsync(args, { ctx }, (_error, _argv, text) => {
      printed = text;
    });
    if (printed) ctx.stdout.write(`${printed}\n`);
    return 0;
  } catch (error) {
    return output.error(ctx.signal.aborted ? new TofuOciError("cancelled", "cancelled", { cause: error }) : error);
  }
}

/** Output flags read directly, so errors during parsing are reported in the requested format. */
function flagsOf(args: string[]): { format?: Format; quiet: boolean; verbose: boolean } {
  const formatIndex = args.findIndex((a) => a === "--format" || a.startsWith("--format="));
  const raw =
    formatIndex === -1
      ? undefined
      : args[formatIndex]!.includes("=")
        ? args[formatIndex]!.split("=")[1]
        : args[formatIndex + 1];
  const result: { format?: Format; quiet: boolean; verbose: boolean } = {
    quiet: args.includes("--quiet") || args.includes("-q"),
    verbose: args.includes("--verbose") || args.includes("-v"),
  };
  if (raw === "json" || raw === "text") result.format = raw;
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
