import {
  MediaType,
  isIndex,
  parseManifest,
  sha256Digest,
  type Descriptor,
  type ImageManifest,
  type OperationOptions,
} from "@tofu-oci/core";
import { isContentError, type ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";
import { extractSbom } from "./sbom-file.js";
import type { Outcome, Session } from "./session.js";

const SBOM_TYPES: ReadonlySet<string> = new Set([MediaType.spdxJson, MediaType.cyclonedxJson]);
/** Listed SBOMs read back before giving up: a listing alone proves nothing, a hostile one is endless. */
const SBOMS_READ = 3;
/** Digests named in a message; a registry can list thousands. */
const NAMED_IN_MESSAGES = 3;

/** What `--require-sbom` found for one subject. */
export interface SbomVerdict {
  ok: boolean;
  /** SBOM referrers the registry or layout lists. */
  listed: number;
  message: string;
  /** When ok: the SBOM manifest that proved itself. */
  sbom?: ImageManifest;
}

/**
 * `--require-sbom`: an SPDX or CycloneDX referrer must be attached to the artifact (through the
 * referrers API, or the `sha256-<hex>` referrers tag where the registry has none), and reading it
 * back must prove it: its manifest matches its digest and names the artifact as its subject.
 */
export async function checkSbom(
  store: ArtifactStore,
  subject: Descriptor,
  checks: Checks,
  options: OperationOptions = {},
): Promise<ImageManifest> {
  const verdict = await attachedSbom(store, subject, options);
  if (!verdict.ok || !verdict.sbom) checks.fail("sbom", verdict.message);
  checks.pass("sbom", verdict.message);
  return verdict.sbom;
}

/** With `--extract-sbom`: writes the proven SBOM as `NAME.*.json` and lists the file in the record's `sboms`. */
export async function saveSbom(
  session: Session,
  outcome: Outcome,
  sbom: ImageManifest,
  name: string,
  checks: Checks,
): Promise<void> {
  const dir = session.settings.extractSbom;
  if (!dir) return;
  const file = await extractSbom(session.store, sbom, { dir, name }, checks, { signal: session.settings.signal });
  outcome.sboms = [...((outcome.sboms as string[] | undefined) ?? []), file];
}

/**
 * Lists the SPDX and CycloneDX referrers of `subject` and reads up to three of them until one
 * is a manifest with the listed digest whose subject is `subject`.
 */
export async function attachedSbom(
  store: ArtifactStore,
  subject: Descriptor,
  options: OperationOptions = {},
): Promise<SbomVerdict> {
  const listed = (await store.referrers(subject, options)).filter(
    (referrer) => referrer.artifactType && SBOM_TYPES.has(referrer.artifactType),
  );
  if (listed.length === 0) {
    return {
      ok: false,
      listed: 0,
      message: `no SPDX or CycloneDX SBOM is attached to ${subject.digest}; attach one with tofu-oci-push attach REF sbom.spdx.json (or push with --sbom)`,
    };
  }
  const problems: string[] = [];
  for (const sbom of listed.slice(0, SBOMS_READ)) {
    const read = await readSbom(store, sbom, subject, options);
    if (typeof read !== "string") {
      const message = `${sbom.artifactType} ${sbom.digest}, read back: it refers to ${subject.digest}${others(listed.length - 1, "SBOM")}`;
      return { ok: true, listed: listed.length, sbom: read, message };
    }
    problems.push(read);
  }
  const names = listed
    .slice(0, NAMED_IN_MESSAGES)
    .map((sbom) => sbom.digest)
    .join(", ");
  return {
    ok: false,
    listed: listed.length,
    message: `${listed.length} SBOM referrer${listed.length > 1 ? "s are" : " is"} listed (${names}${others(listed.length - NAMED_IN_MESSAGES, "")}), but none read back as an SBOM of ${subject.digest}: ${problems.join("; ")}; attach the SBOM again`,
  };
}

/** The SBOM manifest when a listed SBOM proves itself, else why it does not. */
async function readSbom(
  store: ArtifactStore,
  sbom: Descriptor,
  subject: Descriptor,
  options: OperationOptions,
): Promise<ImageManifest | string> {
  let bytes: Buffer;
  try {
    bytes = await store.readManifest({ mediaType: sbom.mediaType, digest: sbom.digest, size: sbom.size }, options);
  } catch (error) {
    if (!isContentError(error)) throw error;
    return `${sbom.digest} cannot be read (${error.message.slice(0, 200)})`;
  }
  if (sha256Digest(bytes) !== sbom.digest) return `${sbom.digest} does not match its content`;
  let manifest: ReturnType<typeof parseManifest>;
  try {
    manifest = parseManifest(bytes, sbom.mediaType);
  } catch {
    return `${sbom.digest} is not an OCI manifest`;
  }
  if (manifest.subject?.digest !== subject.digest)
    return `${sbom.digest} refers to ${manifest.subject?.digest ?? "no subject"}`;
  if (isIndex(manifest)) return `${sbom.digest} is an index, not an SBOM manifest`;
  const type = manifest.artifactType ?? manifest.config.mediaType;
  if (!SBOM_TYPES.has(type)) return `${sbom.digest} has artifactType ${JSON.stringify(type)}, not an SBOM type`;
  return manifest;
}

function others(count: number, what: string): string {
  return count > 0 ? ` and ${count} more${what ? ` ${what}${count > 1 ? "s" : ""}` : ""}` : "";
}
