import { basename } from "node:path";
import { invalidInput } from "@tofu-oci/core";
import { listZip, unsafeEntryReason } from "@tofu-oci/core/zip";
import { findExecutable, h1OfUnpackedPackage, planUnpack, readPackageZip, runsAsIs } from "@tofu-oci/opentofu";

/**
 * Checks a provider release zip as OpenTofu will unpack it, and returns the `h1:` hash that
 * `tofu init` will write into the lock file for it (`h1OfUnpackedPackage` of
 * @tofu-oci/opentofu). Every entry must be readable as Go reads it, every name must stay inside
 * the target directory (stricter than OpenTofu, which accepts absolute names), and the
 * executable OpenTofu looks for (`findExecutable`) must sit at the root; when the zip records Unix
 * permissions for a non-Windows platform, one of its execute bits must be set. Core's zip-bomb
 * limits apply.
 * @throws TofuOciError "invalid-input" (exit 6) naming what is wrong.
 */
export async function checkProviderZip(file: string, type: string, os: string): Promise<string> {
  // OpenTofu unzips without limits, but pack refuses zip bombs with core's, from the central
  // directory alone, before any entry is read.
  for (const entry of await listZip(file)) {
    const reason = unsafeEntryReason(entry.name);
    if (reason) {
      throw invalidInput(
        `${basename(file)}: entry ${JSON.stringify(entry.name)} would be unpacked outside the provider directory: ${reason}`,
        "This zip is unsafe to unpack (zip-slip); use the release zip as published.",
      );
    }
  }
  const entries = await readPackageZip(file, {});
  const plan = planUnpack(entries);
  if ("problem" in plan) {
    throw invalidInput(
      `${basename(file)} does not unpack: ${plan.problem}`,
      "Give the provider's release zip, as published.",
    );
  }
  const executable = findExecutable({ entries, plan }, type);
  if (!executable.ok) {
    throw invalidInput(
      `${basename(file)} has no terraform-provider-${type}* executable at its root`,
      "Give the provider's release zip, as built by its release process (e.g. goreleaser).",
    );
  }
  const mode = entries[plan.files.get(executable.name)!]!.mode;
  if (!runsAsIs(mode, os)) {
    throw invalidInput(
      `${basename(file)}: ${executable.name} is not executable (mode ${mode!.toString(8)})`,
      "Re-create the zip with the execute bit set on the provider binary.",
    );
  }
  return h1OfUnpackedPackage(entries, plan);
}
