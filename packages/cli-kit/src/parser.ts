import { usageError } from "@tofu-oci/core";
import type { Argv } from "yargs";
import type { CliSpec } from "./run-cli.js";
import { loadYargs } from "./yargs-loader.js";

/** The options `runCli` declares for every command of every bin. */
export const GLOBAL_OPTIONS: readonly string[] = ["format", "quiet", "verbose", "help", "version"];

/** What yargs' `getOptions()` tells about the options a parser knows (yargs has no types for it). */
export interface ParserOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  array: string[];
  boolean: string[];
  string: string[];
  number: string[];
  choices: Record<string, ReadonlyArray<string | number>>;
  demandedOptions: Record<string, unknown>;
  default: Record<string, unknown>;
  hiddenOptions: string[];
}

/** The options a parser knows, as yargs keeps them. */
export function parserOptions(parser: Argv<any>): ParserOptions {
  return (parser as unknown as { getOptions(): ParserOptions }).getOptions();
}

/** yargs' message for arguments no command declares, in English (the parser's locale). */
const UNKNOWN = /^Unknown arguments?: (.+)$/;

/** Thrown by the parser for arguments no command declares; `runCli` explains them with suggestions. */
export class UnknownArguments extends Error {
  override readonly name = "UnknownArguments";
  constructor(readonly names: string[]) {
    super(`unknown arguments: ${names.join(", ")}`);
  }
}

/**
 * The yargs parser of a whole command line, configured the way every tofu-oci bin parses:
 * - one value per occurrence: an `array` option takes the next word only, so
 *   `--platform linux_amd64 REF` leaves REF a positional ("greedy-arrays": false), and each
 *   option that takes a value demands one (`requiresArg`, set by `defineCommand`);
 * - a non-repeatable option given twice keeps its last value, as in ORAS and getopt;
 * - messages in English, strict flags, `--help`, `--version`, the global output flags.
 */
export async function createParser(spec: CliSpec, args: string[]): Promise<Argv<any>> {
  const { yargs } = await loadYargs();
  let parser: Argv<any> = yargs(args)
    .scriptName(spec.scriptName)
    .locale("en")
    .parserConfiguration({ "populate--": true, "greedy-arrays": false })
    .option("format", {
      choices: ["json", "text"] as const,
      requiresArg: true,
      describe: "Output: json (NDJSON records) or text; default json when stdout is not a terminal",
      global: true,
    })
    .option("quiet", {
      alias: "q",
      type: "boolean",
      describe: "Print no progress or status on stderr (warnings and errors still print)",
      global: true,
    })
    .option("verbose", {
      alias: "v",
      type: "boolean",
      describe: "Print requests and decisions on stderr",
      global: true,
    })
    .middleware(lastValueWins as never, true)
    .command([...spec.commands])
    .demandCommand(1, "Name a command; see --help.")
    .strict()
    .version(spec.version)
    .help()
    .alias("h", "help")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      const unknown = message ? UNKNOWN.exec(message) : null;
      if (!error && unknown) throw new UnknownArguments(unknown[1]!.split(", "));
      // yargs' own errors (e.g. "Not enough arguments following: tag") are usage errors too.
      if (error && error.name !== "YError") throw error;
      throw usageError(error?.message ?? message ?? "invalid arguments", `Run ${spec.scriptName} --help for usage.`);
    });
  skipHelpCache(parser);
  if (spec.epilogue) parser = parser.epilogue(spec.epilogue);
  // Listed in --help; runCli answers `completion` and `--get-yargs-completions` itself.
  if (!spec.scriptName.includes(" "))
    parser = parser.completion(
      "completion",
      `Print a bash/zsh completion script: ${spec.scriptName} completion >> ~/.bashrc`,
    );
  if (spec.configure) parser = spec.configure(parser);
  return parser;
}

/**
 * yargs formats the whole help text each time a named command runs, in case its handler calls
 * `showHelp()` (none does): 20-50 ms of CPU on every run, and the load of the help formatter
 * that yargs-loader otherwise defers. The cache is skipped; `--help` still formats on demand.
 */
function skipHelpCache(parser: Argv<any>): void {
  const internals = parser as unknown as {
    getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
  };
  const usage = internals.getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === "function") usage.cacheHelpMessage = () => {};
}

/**
 * An option that is not repeatable comes once: given twice, its last value counts (yargs
 * would make an array of both). Runs before validation, so checks see one value.
 */
function lastValueWins(argv: Record<string, unknown>, parser: Argv<any>): void {
  const { array } = parserOptions(parser);
  for (const [key, value] of Object.entries(argv)) {
    if (!Array.isArray(value) || key === "_" || key === "--" || array.includes(key) || array.includes(kebabCase(key)))
      continue;
    argv[key] = value.at(-1);
  }
}

/** `mountFrom` -> `mount-from`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
