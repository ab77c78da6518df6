import { usageError, type TofuOciError } from "@tofu-oci/core";
import type { CommandInfo } from "./command-info.js";
import { kebabCase } from "./parser.js";
import { suggest } from "./suggest.js";

/**
 * The usage error for arguments no command declares, one clause each with the closest known
 * name: `unknown option --ca-fil; did you mean --ca-file?`, `unknown command 'provider'; did
 * you mean 'providers'?`. yargs also reports a camelCase copy of each unknown flag; it is dropped.
 */
export function unknownArgumentsError(
  names: readonly string[],
  args: readonly string[],
  commands: readonly CommandInfo[],
  scriptName: string,
): TofuOciError {
  const word = firstWord(args);
  const command =
    commands.find((candidate) => candidate.name === word) ?? commands.find((candidate) => candidate.name === undefined);
  const options = command?.options ?? (commands[0]?.options ?? []).filter((option) => option.global);
  const optionNames = options.flatMap((option) => [option.name, ...option.aliases]).filter((name) => name.length > 1);
  const commandNames = [
    ...commands.flatMap((candidate) => (candidate.name ? [candidate.name] : [])),
    ...(scriptName.includes(" ") ? [] : ["completion"]),
  ];
  const hint = `Run ${scriptName} --help for usage.`;
  // The words after an unknown command are its would-be arguments: only the command is wrong.
  if (word !== undefined && !command && names.includes(word))
    return usageError(
      clause(
        `unknown command '${word}'`,
        suggest(word, commandNames).map((c) => `'${c}'`),
      ),
      hint,
    );
  const clauses = withoutCamelCopies(names).map((name) =>
    isFlag(name, args)
      ? clause(`unknown option ${dashed(name)}`, suggest(name, optionNames).map(dashed))
      : `unexpected argument '${name}'`,
  );
  return usageError(clauses.join("; "), hint);
}

function clause(text: string, candidates: string[]): string {
  return candidates.length > 0 ? `${text}; did you mean ${candidates.slice(0, 2).join(" or ")}?` : text;
}

/** The first word that is not a flag or a global flag's value: the command, when the bin has several. */
export function firstWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--format") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

function isFlag(name: string, args: readonly string[]): boolean {
  if (name.length === 1) return args.some((arg) => /^-[^-]/.test(arg) && arg.slice(1).split("=")[0]!.includes(name));
  return args.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`) || arg === `--no-${name}`);
}

function withoutCamelCopies(names: readonly string[]): string[] {
  return names.filter((name) => !/[A-Z]/.test(name) || !names.includes(kebabCase(name)));
}

function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
