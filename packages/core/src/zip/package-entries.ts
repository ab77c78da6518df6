import { basename, posix } from "node:path";
import { invalidInput } from "../errors.js";
import { listZip, readZip, unsafeEntryReason, type ZipLimits } from "./zip-reader.js";

/**
 * Checks a package zip before it is published (push) or taken in (pack), reading all of it as an
 * unzip would: no entry name may leave the directory it is unpacked into (`..`, absolute paths,
 * drive letters, backslashes: see unsafeEntryReason), no entry may be a symbolic link, no two
 * entries may land on the same path, and every entry's content must have its declared size and
 * CRC-32, within core's zip-bomb limits. OpenTofu refuses some of these (go-getter's `..`
 * check, Go's size and checksum checks) and unpacks the rest differently per system or into
 * something other than the zip shows; tofu-oci-pack never writes any of them.
 * @throws TofuOciError "invalid-input" (exit 6) naming the entry and what is wrong.
 */
export async function assertPackageEntries(path: string, limits: ZipLimits = {}): Promise<void> {
  const seen = new Set<string>();
  const file = basename(path);
  // The central directory first: its limits, names and types cost no decompression.
  for (const entry of await listZip(path, limits)) {
    const reason = unsafeEntryReason(entry.name);
    if (reason) throw refused(file, entry.name, `${reason}, so it would be unpacked outside the package directory`);
    if (entry.isSymlink)
      throw refused(file, entry.name, "it is a symbolic link, which OpenTofu unpacks as a file holding the link text");
    const target = posix.normalize(entry.name).replace(/\/$/, "");
    if (seen.has(target))
      throw refused(file, entry.name, "another entry has the same path, so what is unpacked depends on the unzip");
    seen.add(target);
  }
  await readZip(
    path,
    async (entry) => {
      for await (const _ of await entry.open());
    },
    limits,
  );
}

function refused(file: string, name: string, why: string) {
  return invalidInput(
    `${file}: entry ${JSON.stringify(name)} is refused: ${why}`,
    "Re-create the zip with tofu-oci-pack (or a zip of plain files with relative paths).",
  );
}
