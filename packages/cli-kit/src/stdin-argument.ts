import { usageError } from "@tofu-oci/core";
import type { RegistryArgs } from "./registry-options.js";

/**
 * A positional that may stand for stdin: undefined when it is missing or `-` (which yargs may
 * turn into "" or true), else the value.
 */
export function positionalOrStdin(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "-" ? value : undefined;
}

/** Refuses --password-stdin when stdin already carries the command's input records. */
export function assertStdinFree(args: Pick<RegistryArgs, "passwordStdin">, recordsOnStdin: boolean, records: string, instead: string): void {
  if (args.passwordStdin && recordsOnStdin) {
    throw usageError(`--password-stdin cannot be used while ${records} records come on stdin`, `${instead}, or log in with tofu-oci auth login.`);
  }
}
