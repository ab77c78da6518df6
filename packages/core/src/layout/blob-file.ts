import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { TofuOciError } from "../errors.js";

// O_NOFOLLOW: a link could point anywhere on the machine. O_NONBLOCK: opening a FIFO for reading
// would otherwise wait for a writer forever, beyond any signal.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Opens a file of an OCI layout for reading, or returns undefined when it does not exist. Only a
 * regular file is opened: a symbolic link, FIFO, device or directory in a layout is refused, so a
 * hostile layout cannot make a reader follow a link out of it or hang on a pipe.
 * @throws TofuOciError "invalid-input" (exit 6) for anything but a regular file.
 */
export async function openLayoutFile(path: string, what: string): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw notRegular(what, "a symbolic link");
    throw error;
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw notRegular(what, info.isFIFO() ? "a FIFO" : info.isDirectory() ? "a directory" : "not a regular file");
  }
  return handle;
}

function notRegular(what: string, kind: string): TofuOciError {
  return new TofuOciError("invalid-input", `${what} is ${kind}; an OCI layout holds regular files only`, {
    hint: "The layout is damaged or was made to attack its reader; re-create it with tofu-oci or another OCI tool.",
  });
}
