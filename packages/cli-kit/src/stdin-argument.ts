import { usageError } from "@tofu-oci/core";
import type { CommandContext } from "./context.js";
import type { RegistryArgs } from "./registry-options.js";

/**
 * A positional that may stand for stdin: undefined when it is missing or `-` (which yargs may
 * turn into "" or true), else the value.
 */
export function positionalOrStdin(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "-" ? value : undefined;
}

/** What a command reads on stdin when its positional is left out, for the usage errors. */
export interface StdinRecords {
  /** The kind of records, e.g. `package`. */
  records: string;
  /** A pipeline that feeds them, e.g. `tofu-oci-pack module DIR | tofu-oci-push REF`. */
  pipeline: string;
  /** What to give instead, e.g. `give the module ZIP as an argument`. */
  instead: string;
}

/**
 * The positional, or undefined when the command is to read records from stdin. A terminal on
 * stdin is refused at once (a user who forgot the argument would otherwise wait on a silent
 * command that eats what they type next), and so is `--password-stdin` when the records need
 * stdin. Every command that reads records on stdin takes its positional through this.
 * @throws TofuOciError "usage" (exit 2) naming what to pipe or pass.
 */
export function positionalOrRecords(
  value: unknown,
  args: Pick<RegistryArgs, "passwordStdin"> & { ctx: Pick<CommandContext, "stdinIsTTY"> },
  input: StdinRecords,
): string | undefined {
  const positional = positionalOrStdin(value);
  if (positional !== undefined) return positional;
  if (args.ctx.stdinIsTTY) {
    throw usageError(
      `no ${input.records} records to read: stdin is a terminal`,
      `Pipe them in (${input.pipeline}), or ${input.instead}.`,
    );
  }
  assertStdinFree(args, true, input.records, capitalized(input.instead));
  return undefined;
}

/** Refuses --password-stdin when stdin already carries the command's input records. */
export function assertStdinFree(
  args: Pick<RegistryArgs, "passwordStdin">,
  recordsOnStdin: boolean,
  records: string,
  instead: string,
): void {
  if (args.passwordStdin && recordsOnStdin) {
    throw usageError(
      `--password-stdin cannot be used while ${records} records come on stdin`,
      `${instead}, or log in with tofu-oci auth login.`,
    );
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
