import { MediaType, isRegistryError, type Descriptor } from "@tofu-oci/core";
import { RemoteRepository } from "@tofu-oci/core/remote";
import { ok, skip, warn, warnFrom } from "../probe.js";
import { errorWords } from "../registry-words.js";
import type { Probe } from "../records.js";
import type { DoctorSession } from "../session.js";

const HINT =
  "Mounts let tofu-oci push --mount-from and mirror copy share blobs between repositories instead of uploading them " +
  "again (ECR: turn on BLOB_MOUNTING; Harbor: the source project must exist; Docker Hub: the token needs pull on " +
  "the source).";

/**
 * `mount`: a cross-repository mount of the scratch module's zip from the scratch repository
 * into `SCRATCH-mount` (core's `mount`, as `push --mount-from` and `mirror copy` do). Only 201 is
 * a mount; 202 is an upload session instead (distribution-spec), which core cancels.
 */
export async function probeMount(session: DoctorSession, zip: Descriptor | undefined): Promise<Probe> {
  if (!zip) return skip("mount", "needs the scratch module, whose push failed");
  const source = session.target.scratchRepository;
  const target = `${source}-mount`;
  const repository = new RemoteRepository(session.client, session.registry, target);
  const layer: Descriptor = { mediaType: MediaType.zip, digest: zip.digest, size: zip.size };
  const signal = session.signal ? { signal: session.signal } : {};
  const what = `POST ${target}/blobs/uploads/?mount=...&from=${source}`;
  let mounted: boolean;
  try {
    mounted = await repository.mount(layer, source, signal);
  } catch (error) {
    if (!isRegistryError(error)) return warnFrom("mount", what, error);
    return warn("mount", `${what} was refused: HTTP ${error.status}`, {
      words: errorWords(error),
      hint: HINT,
      facts: { status: error.status, mounted: false },
    });
  }
  if (!mounted)
    return warn("mount", `${what} answered 202: no mount, an upload instead (tofu-oci uploads the blob then)`, {
      hint: HINT,
      facts: { status: 202, mounted: false },
    });
  session.wrote({ repository: target, kind: "blob", digest: zip.digest });
  if (!(await repository.exists(layer, signal))) {
    return warn("mount", `${what} answered 201, but the blob is not in ${target}`, {
      hint: "A mount that does not happen (seen on GHCR under load): manifests that rely on it fail with MANIFEST_BLOB_UNKNOWN.",
      facts: { status: 201, mounted: false },
    });
  }
  return ok("mount", `${what} answered 201: blobs are shared across repositories`, {
    facts: { status: 201, mounted: true },
  });
}
