import {
  ArtifactType,
  MediaType,
  isRegistryError,
  isTofuOciError,
  type ModulePackageRecord,
  type ProviderPackageRecord,
} from "@tofu-oci/core";
import { push, type PushRecord } from "@tofu-oci/push";
import { fail, failFrom, ok } from "../probe.js";
import { errorWords } from "../registry-words.js";
import type { Probe } from "../records.js";
import { SCRATCH_MODULE_TAG, SCRATCH_PROVIDER, type ScratchArtifacts } from "../scratch-artifacts.js";
import type { DoctorSession } from "../session.js";
import { verifyAsOpenTofu } from "./verification.js";

/** The types of OpenTofu's artifacts (docs/contract/design.md §3) a registry must accept. */
export const OPENTOFU_TYPES = [
  ArtifactType.module,
  ArtifactType.provider,
  ArtifactType.providerTarget,
  MediaType.zip,
] as const;

/** The types each scratch artifact's manifests carry. */
export const TYPES_OF = {
  module: [ArtifactType.module, MediaType.empty, MediaType.zip],
  provider: [ArtifactType.provider, ArtifactType.providerTarget, MediaType.empty, MediaType.zip],
} as const;

/** What pushing one scratch artifact found. */
export interface Installed {
  probe: Probe;
  /** The push record, when the push went through. */
  pushed?: PushRecord;
  /** The registry refused a manifest because of these types (they appear in its words). */
  refusedTypes: string[];
  /** The registry's words when it refused the push. */
  words?: string;
}

/** What a registry's settings need so that it accepts OpenTofu's artifacts. */
export const MEDIA_TYPE_HINT =
  "The registry must accept OpenTofu's media types (application/vnd.opentofu.modulepkg, application/vnd.opentofu.provider, " +
  "application/vnd.opentofu.provider-target, archive/zip, with the empty config application/vnd.oci.empty.v1+json). GitLab: " +
  "they must be on the container registry's media-type allow-list; Quay: FEATURE_GENERAL_OCI_SUPPORT with the empty config " +
  "mapped to these types in ALLOWED_OCI_ARTIFACT_TYPES (or IGNORE_UNKNOWN_MEDIATYPES: true); other registries: allow OCI " +
  "artifacts of these types in the repository's settings.";

/**
 * `module`: pushes the scratch module to `SCRATCH:module` with @tofu-oci/push (as `tofu-oci push`
 * does), then verifies it from the push record with @tofu-oci/verify (as `| tofu-oci verify` does).
 */
export function probeModule(
  session: DoctorSession,
  artifacts: ScratchArtifacts,
  cwd: string | undefined,
): Promise<Installed> {
  return install(session, "module", artifacts.module, SCRATCH_MODULE_TAG, cwd);
}

/**
 * `provider`: pushes the scratch provider version (one platform) to `SCRATCH:0.0.1`, replacing
 * one a former run left, then verifies it as OpenTofu's `oci_mirror` would install it.
 */
export function probeProvider(
  session: DoctorSession,
  artifacts: ScratchArtifacts,
  cwd: string | undefined,
): Promise<Installed> {
  return install(session, "provider", artifacts.provider, SCRATCH_PROVIDER.version, cwd);
}

async function install(
  session: DoctorSession,
  kind: "module" | "provider",
  record: ModulePackageRecord | ProviderPackageRecord,
  tag: string,
  cwd: string | undefined,
): Promise<Installed> {
  const scratch = session.target.scratchRepository;
  const reference = `${session.registry}/${scratch}:${tag}`;
  let pushed: PushRecord;
  try {
    const context = { ...(cwd ? { cwd } : {}), ...(session.signal ? { signal: session.signal } : {}) };
    [pushed] = (await push(
      { reference, packages: [{ ...record }], clientOptions: session.clientOptions, force: true },
      context,
    )) as [PushRecord];
  } catch (error) {
    return refusal(kind, reference, error);
  }
  noteWritten(session, pushed, record);
  try {
    const verdict = await verifyAsOpenTofu(session, { pushed }, cwd);
    const facts = { digest: pushed.digest, tag, source: pushed.source };
    if (!verdict.ok) {
      const probe = fail(
        kind,
        "verification-failed",
        `pushed ${reference}, but OpenTofu would not install it: ${verdict.summary}`,
        { facts, hint: "The registry changed what it stored or serves it differently; each failed check says how." },
      );
      return { probe, pushed, refusedTypes: [] };
    }
    const how = kind === "module" ? `source ${pushed.source}` : `an oci_mirror of ${scratch}`;
    return {
      probe: ok(
        kind,
        `pushed ${reference} (${pushed.digest}) and verified it as tofu init installs it (${how}): ${verdict.summary}`,
        { facts },
      ),
      pushed,
      refusedTypes: [],
    };
  } catch (error) {
    return { probe: failFrom(kind, `verifying ${reference}`, error), pushed, refusedTypes: [] };
  }
}

/** A push that failed: which of the artifact's types the registry's words name, and what to do. */
function refusal(kind: "module" | "provider", reference: string, error: unknown): Installed {
  const words = isRegistryError(error) ? errorWords(error) : undefined;
  const named: string[] = words ? TYPES_OF[kind].filter((type) => words.includes(type)) : [];
  const hint = (isTofuOciError(error) ? error.hint : undefined) ?? (named.length > 0 ? MEDIA_TYPE_HINT : undefined);
  const what =
    named.length > 0 ? `pushing ${reference}: the registry refuses ${named.join(", ")}` : `pushing ${reference}`;
  return { probe: failFrom(kind, what, error, hint ? { hint } : {}), refusedTypes: named, ...(words ? { words } : {}) };
}

/** Notes the pushed manifests and zips for the clean-up; never the empty config, which other artifacts share. */
function noteWritten(
  session: DoctorSession,
  pushed: PushRecord,
  record: ModulePackageRecord | ProviderPackageRecord,
): void {
  const repository = session.target.scratchRepository;
  const layers = record.type === "module" ? [record.digest] : record.platforms.map((platform) => platform.digest);
  const platforms = pushed.type === "provider" ? pushed.platforms.map((platform) => platform.digest) : [];
  // The clean-up deletes manifests last written first: the index before its platform manifests.
  for (const digest of platforms) session.wrote({ repository, kind: "manifest", digest });
  session.wrote({ repository, kind: "manifest", digest: pushed.digest, tags: pushed.tags });
  for (const digest of layers) session.wrote({ repository, kind: "blob", digest });
}
