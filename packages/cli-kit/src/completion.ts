import type { CommandInfo, OptionInfo } from "./command-info.js";
import { loadYargs } from "./yargs-loader.js";

/** The argument the completion script passes before the words typed so far (yargs' name for it). */
export const COMPLETIONS_FLAG = "--get-yargs-completions";

/**
 * The bash/zsh completion script of a bin: yargs' own script, which asks
 * `<bin> --get-yargs-completions <words...>` for the candidates on every TAB.
 */
export async function completionScript(scriptName: string): Promise<string> {
  const { yargs } = await loadYargs();
  let script = "";
  await yargs([])
    .scriptName(scriptName)
    .completion("completion")
    .exitProcess(false)
    .parseAsync(["completion"], {}, (_error, _argv, output) => {
      script = output;
    });
  return script.endsWith("\n") ? script : `${script}\n`;
}

/**
 * The candidates for the last of `words` (the words after the bin's name): a bin's command
 * names, the flags of the command being typed (with the default command's flags before any
 * command), or an option's choices after it. Empty means "complete a file name".
 */
export function completeWords(
  commands: readonly CommandInfo[],
  words: readonly string[],
  extraCommands: readonly string[] = [],
): string[] {
  const current = words.at(-1) ?? "";
  const typed = words.slice(0, -1);
  const defaultCommand = commands.find((command) => command.name === undefined);
  const globals = (commands[0]?.options ?? []).filter((option) => option.global);
  let command: CommandInfo | undefined;
  let scope = defaultCommand?.options ?? globals;
  for (let i = 0; i < typed.length; i++) {
    const word = typed[i]!;
    if (word.startsWith("-")) {
      if (!word.includes("=") && takesValue(findOption(scope, word))) i++;
      continue;
    }
    if (command) continue;
    command = commands.find((candidate) => candidate.name === word) ?? defaultCommand;
    if (command) scope = command.options;
  }
  const previous = typed.at(-1);
  const pending = previous?.startsWith("-") && !previous.includes("=") ? findOption(scope, previous) : undefined;
  if (takesValue(pending)) return pending!.choices ?? [];
  if (current.startsWith("-")) return flagsOf(scope, typed);
  if (command && command !== defaultCommand) return [];
  return [...commands.flatMap((candidate) => (candidate.name ? [candidate.name] : [])), ...extraCommands];
}

/** The option a typed flag names (`--ca-file`, `--ca-file=x`, `-t`, `--no-recursive`). */
function findOption(options: readonly OptionInfo[], word: string): OptionInfo | undefined {
  const name = word.replace(/^-+/, "").replace(/=.*$/, "");
  const matches = (option: OptionInfo, candidate: string) =>
    option.name === candidate || option.aliases.includes(candidate);
  return (
    options.find((option) => matches(option, name)) ??
    options.find((option) => option.type === "boolean" && matches(option, name.replace(/^no-/, "")))
  );
}

function takesValue(option: OptionInfo | undefined): boolean {
  return option !== undefined && option.type !== "boolean";
}

/** Every spelling of every option, but not a non-repeatable one already typed. */
function flagsOf(options: readonly OptionInfo[], typed: readonly string[]): string[] {
  const used = new Set(typed.filter((word) => word.startsWith("-")).map((word) => findOption(options, word)));
  return options
    .filter((option) => option.array || !used.has(option))
    .flatMap((option) =>
      [option.name, ...option.aliases]
        .map(dashed)
        .concat(option.type === "boolean" && option.default === true ? [`--no-${option.name}`] : []),
    );
}

function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
