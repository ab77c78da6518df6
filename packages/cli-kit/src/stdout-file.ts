import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { usageError } from "@tofu-oci/core";
import type { CommandContext } from "./context.js";

/** `-o -`: the file goes to stdout, as with tar and crane. */
export function isStdout(output: string | undefined): boolean {
  return output === "-";
}

/**
 * For `-o -`: runs `write` with the path of a temp file named `name`, then copies that file to
 * stdout and removes it, so the library writes a file as usual (atomically, checked) and only a
 * complete one reaches stdout. A terminal on stdout is refused first, as tar refuses it.
 * @throws TofuOciError "usage" when stdout is a terminal.
 */
export async function writeToStdout<T>(
  ctx: Pick<CommandContext, "stdout" | "stdoutIsTTY">,
  name: string,
  write: (path: string) => Promise<T>,
): Promise<T> {
  if (ctx.stdoutIsTTY)
    throw usageError(
      `refusing to write ${name} to a terminal`,
      "Redirect stdout to a file or a pipe, or give -o a file name.",
    );
  const dir = await mkdtemp(join(tmpdir(), "tofu-oci-stdout-"));
  try {
    const path = join(dir, name);
    const result = await write(path);
    await pipeline(createReadStream(path), ctx.stdout, { end: false });
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
