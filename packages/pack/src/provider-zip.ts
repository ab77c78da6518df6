import { basename } from "node:path";
import { invalidInput } from "@tofu-oci/core";
import { listZip, unsafeEntryReason } from "@tofu-oci/core/zip";

/**
 * Checks a provider release zip as OpenTofu will unpack it: every entry name stays inside the
 * target directory, and a `terraform-provider-TYPE*` executable sits at the root (when the zip
 * records Unix permissions for a non-Windows platform, one of its execute bits must be set).
 * Reads only the central directory.
 */
export async function checkProviderZip(file: string, type: string, os: string): Promise<void> {
  const entries = await listZip(file);
  for (const entry of entries) {
    const reason = unsafeEntryReason(entry.name);
    if (reason) throw invalidInput(`${basename(file)}: entry ${JSON.stringify(entry.name)} would be unpacked outside the provider directory: ${reason}`, "This zip is unsafe to unpack (zip-slip); use the release zip as published.");
  }
  const prefix = `terraform-provider-${type}`;
  const executables = entries.filter((entry) => !entry.isDirectory && !entry.name.includes("/") && entry.name.startsWith(prefix));
  if (executables.length === 0) {
    throw invalidInput(`${basename(file)} has no ${prefix}* executable at its root`, "Give the provider's release zip, as built by its release process (e.g. goreleaser).");
  }
  const runnable = executables.some((entry) => os === "windows" || entry.mode === undefined || (entry.mode & 0o111) !== 0);
  if (!runnable) throw invalidInput(`${basename(file)}: ${executables[0]!.name} is not executable (mode ${executables[0]!.mode!.toString(8)})`, "Re-create the zip with the execute bit set on the provider binary.");
}
