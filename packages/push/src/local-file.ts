import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { digestFile, invalidInput, type LocalFile } from "@tofu-oci/core";

/**
 * Checks that `path` is a readable regular file that starts like a zip archive and, when a
 * size is expected, has that size. Returns the absolute path and the size.
 * @throws TofuOciError "invalid-input" (exit 6) saying what is wrong.
 */
export async function assertZipFile(
  path: string,
  what: string,
  expectedSize?: number,
): Promise<{ file: string; size: number }> {
  const file = resolve(path);
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw invalidInput(
      `${what} ${file} ${error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.code})`}`,
      "Give the path of a zip made by tofu-oci-pack.",
    );
  });
  if (!info.isFile()) throw invalidInput(`${what} ${file} is not a file`);
  if (expectedSize !== undefined && info.size !== expectedSize) {
    throw invalidInput(
      `${what} ${file} is ${info.size} bytes, but its record says ${expectedSize}`,
      "The file changed after it was packed; pack it again.",
    );
  }
  if (!(await startsLikeZip(file)))
    throw invalidInput(
      `${what} ${file} is not a zip archive`,
      "OpenTofu installs modules and providers from zip archives; pack the directory with tofu-oci-pack.",
    );
  await assertZipStructure(file);
  return { file, size: info.size };
}

async function startsLikeZip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    const magic = buffer.subarray(0, bytesRead).toString("latin1");
    // A local file header, or the end-of-central-directory record of an empty archive.
    return magic === "PK\u0003\u0004" || magic === "PK\u0005\u0006";
  } catch (error) {
    throw invalidInput(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/**
 * Reads the whole archive as OpenTofu's unzip will, before anything is uploaded: a truncated
 * archive, core's zip-bomb limits (4 GiB unpacked, 1000:1 per entry over 1 MiB), entry names that
 * leave the package (`../`, `..\`, absolute), symbolic links, duplicate paths and sizes or CRCs
 * that lie are refused (core's assertPackageEntries): nobody should install such a package.
 */
async function assertZipStructure(file: string): Promise<void> {
  const { assertPackageEntries } = await import("@tofu-oci/core/zip");
  await assertPackageEntries(file);
}

/** Digests a zip given by path (streamed), for input that comes without a record. */
export async function describeZipFile(path: string): Promise<LocalFile> {
  const { file } = await assertZipFile(path, "the module zip");
  const { digest, size } = await digestFile(file);
  return { file, digest, size };
}
