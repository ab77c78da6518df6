import { MediaType, type Descriptor, type OperationOptions } from "@tofu-oci/core";
import type { ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";

const SBOM_TYPES: ReadonlySet<string> = new Set([MediaType.spdxJson, MediaType.cyclonedxJson]);

/**
 * `--require-sbom`: an SPDX or CycloneDX referrer must be attached to the artifact (through the
 * referrers API, or the `sha256-<hex>` referrers tag where the registry has none).
 */
export async function checkSbom(
  store: ArtifactStore,
  subject: Descriptor,
  checks: Checks,
  options: OperationOptions = {},
): Promise<void> {
  const sboms = await findSboms(store, subject, options);
  if (sboms.length === 0) {
    checks.fail(
      "sbom",
      `no SPDX or CycloneDX SBOM is attached to ${subject.digest}; attach one with tofu-oci-push attach REF sbom.spdx.json (or push with --sbom)`,
    );
  }
  checks.pass("sbom", sboms.map((sbom) => `${sbom.artifactType} ${sbom.digest}`).join(", "));
}

/** The SPDX and CycloneDX referrers of `subject`. */
export async function findSboms(
  store: ArtifactStore,
  subject: Descriptor,
  options: OperationOptions = {},
): Promise<Descriptor[]> {
  return (await store.referrers(subject, options)).filter(
    (referrer) => referrer.artifactType && SBOM_TYPES.has(referrer.artifactType),
  );
}
