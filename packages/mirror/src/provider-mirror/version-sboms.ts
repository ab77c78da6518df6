import { MediaType, NO_TRANSFER, addCounts, type PushedPlatform, type TransferCounts } from "@tofu-oci/core";
import { providerSbom } from "@tofu-oci/sbom";
import { attachSbom, type PublishOptions } from "./publish.js";
import type { AttachedSbom } from "./records.js";
import type { VersionRun } from "./version-job.js";
import type { LocalZip } from "./zip-files.js";

/** SBOMs attached for a version, and what attaching them sent. */
export interface AttachedSboms {
  sboms: AttachedSbom[];
  counts: TransferCounts;
}

/**
 * Generates a CycloneDX SBOM from each platform's provider executable and attaches it as a
 * referrer of that platform's manifest. An executable without Go build info gets a minimal SBOM
 * and a warning.
 */
export async function attachSboms(
  run: VersionRun,
  version: string,
  platforms: readonly PushedPlatform[],
  zipOf: (platform: string) => LocalZip | undefined,
  dir: string,
  options: PublishOptions,
): Promise<AttachedSboms> {
  const attached: AttachedSboms = { sboms: [], counts: NO_TRANSFER };
  for (const platform of platforms) {
    const key = `${platform.os}_${platform.arch}`;
    const zip = zipOf(key);
    if (!zip) throw new Error(`no zip for the ${key} SBOM`);
    const sbom = await providerSbom(zip.file, dir, {
      provider: run.job.name,
      version,
      os: platform.os,
      arch: platform.arch,
      zh: platform.zh,
      tool: run.tool,
    });
    if (sbom.warning) run.hooks.onWarning?.(`${run.job.name} ${version}: ${sbom.warning}`);
    const referrer = await attachSbom(platform.digest, sbom.file, options);
    attached.sboms.push({
      os: platform.os,
      arch: platform.arch,
      digest: referrer.digest,
      subject: platform.digest,
      artifactType: MediaType.cyclonedxJson,
      modules: sbom.modules,
    });
    attached.counts = addCounts(attached.counts, referrer.counts);
  }
  return attached;
}
