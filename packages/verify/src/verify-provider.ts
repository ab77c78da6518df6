import { ArtifactType, MediaType, usageError, type Descriptor } from "@tofu-oci/core";
import {
  describeH1,
  findExecutable,
  h1Problem,
  indexPlatforms,
  judgeVersionTag,
  layerPlatformProblem,
  listProviderTags,
  normalizeVersion,
  packageHashes,
  PROVIDER_H1_ANNOTATION,
  selectLock,
  selectPlatformManifest,
  selectProviderLayer,
  versionToTag,
  zhOf,
  zhProblem,
  type GoIndex,
  type ProviderLock,
} from "@tofu-oci/opentofu";
import { isContentError } from "./artifact-store.js";
import { downloadLayer } from "./blob-file.js";
import { runChain, type Checks } from "./checks.js";
import { readImageIndex, readImageManifest } from "./manifest-checks.js";
import { checkPackageZip } from "./package-zip.js";
import { checkResolution } from "./resolution.js";
import { attachedSbom, checkSbom, saveSbom } from "./sbom.js";
import type { Outcome, Session } from "./session.js";
import { expectLayer, extract, plain } from "./verify-module.js";

/** One checked platform, as the record lists it: what to lock and what was installed. */
export interface PlatformResult {
  /** The platform, `os_arch`. */
  platform: string;
  /** The platform manifest's digest, once found in the index. */
  manifest?: string;
  /** The release zip layer's digest. */
  layer?: string;
  /** The lock-file `zh:` hash (the zip's SHA-256), as `zh:<hex>`. */
  zh?: string;
  /** The lock-file `h1:` hash of the zip's contents (Go dirhash), as `h1:<base64>`. */
  h1?: string;
  /** Where `h1` came from: the downloaded package, or the manifest's annotation (with `trustH1Annotation`). */
  h1From?: "content" | "annotation";
  /** The provider executable's name found at the zip's root, e.g. `terraform-provider-null_v3.2.1`. */
  executable?: string;
}

interface ProviderState {
  outcome: Outcome;
  version?: string;
  lock?: ProviderLock;
  type: { name: string; guessed: boolean; address?: string };
  results: PlatformResult[];
  /** With --require-sbom: an SBOM on the index covers every platform. */
  sbomOnIndex?: boolean;
}

/**
 * Verifies a provider version as OpenTofu's oci_mirror installs it
 * (internal/getproviders/oci_registry_mirror_source.go, package_location_oci_blob_archive.go,
 * package_location_local_archive.go, internal/providercache).
 */
export async function verifyProvider(session: Session): Promise<Outcome> {
  const state: ProviderState = { outcome: {}, type: providerType(session), results: [] };
  await runChain(async () => {
    state.version = checkVersionTag(session);
    const descriptor = checkResolution(session.resolution!, session.checks);
    state.outcome.digest = descriptor.digest;
    await checkAvailableVersions(session, state.version);
    const index = await checkIndex(session, descriptor);
    checkPushedDigest(session, descriptor);
    state.lock = checkLockEntry(session, state);
    if (state.lock && !session.settings.provider) state.type = providerType(session, state.lock.address);
    if (session.settings.requireSbom) state.sbomOnIndex = await checkIndexSbom(session, state, descriptor);
    const platforms = choosePlatforms(session, index);
    checkExtractablePlatforms(session, platforms);
    for (const platform of platforms) await runChain(() => checkPlatform(session, state, index, platform));
  });
  return {
    ...state.outcome,
    ...(state.version ? { version: state.version } : {}),
    ...(state.type.address ? { provider: state.type.address } : {}),
    platforms: state.results,
  };
}

/** `sbom` on the index itself; when there is none, each platform manifest needs its own. */
async function checkIndexSbom(session: Session, state: ProviderState, index: Descriptor): Promise<boolean> {
  const verdict = await attachedSbom(session.store, index, { signal: session.settings.signal });
  if (!verdict.ok || !verdict.sbom) return false;
  session.checks.pass("sbom", verdict.message);
  await saveSbom(session, state.outcome, verdict.sbom, "sbom", session.checks);
  return true;
}

/** `version-tag`: the tag is how OpenTofu finds this version. Returns the version, if known. */
function checkVersionTag(session: Session): string | undefined {
  const { input, checks } = session;
  if (input.plusTag) {
    const version = normalizeVersion(input.plusTag) ?? input.plusTag;
    return checks.fail(
      "version-tag",
      `OCI tags cannot contain "+"; OpenTofu looks version ${version} up under the tag "${versionToTag(version)}": push and verify that tag`,
    );
  }
  const { tag, digest } = input.location;
  if (digest && !tag) {
    checks.pass(
      "version-tag",
      `selected by digest`,
      "OpenTofu selects provider versions by tag (the version with + written as _); this digest is checked as is",
    );
    return input.pushed?.version;
  }
  const verdict = judgeVersionTag(tag ?? "latest");
  if (!verdict.ok) checks.fail("version-tag", tag ? verdict.problem : `no tag given; ${verdict.problem}`);
  checks.pass("version-tag", `the tag ${tag} is version ${verdict.version}`);
  return verdict.version;
}

/**
 * `available-versions`: OpenTofu lists every tag before it picks a version (AvailableVersions), so
 * one tag that makes go-versions panic crashes `tofu init` for every version; a tag listed as a
 * version whose canonical tag does not exist sends `tofu init` to a tag that is not there.
 */
async function checkAvailableVersions(session: Session, version: string | undefined): Promise<void> {
  const { checks, store, settings } = session;
  const tags: string[] = [];
  try {
    for await (const tag of store.tags({ signal: settings.signal })) tags.push(tag);
  } catch (error) {
    if (isContentError(error))
      checks.fail(
        "available-versions",
        `cannot list the tags of ${store.name}, which OpenTofu does first ("listing tags from OCI repository"): ${error.message}`,
      );
    throw error;
  }
  const listing = listProviderTags(tags);
  if (listing.crashes.length > 0) {
    const [first] = listing.crashes;
    const more =
      listing.crashes.length > 1
        ? ` (and ${listing.crashes.length - 1} more: ${listing.crashes
            .slice(1, 4)
            .map((c) => c.tag)
            .join(", ")})`
        : "";
    checks.fail(
      "available-versions",
      `the tag "${first!.tag}"${more} makes go-versions panic (${first!.reason}) while OpenTofu lists the provider's versions, so tofu init crashes for every version of this provider; delete the tag`,
    );
  }
  const broken = listing.misread.filter((tag) => !tag.lookupExists);
  const warning =
    broken.length === 0
      ? undefined
      : `OpenTofu lists ${broken.map((tag) => `the tag "${tag.tag}" as version ${tag.version}`).join(", ")} but fetches ${broken.length > 1 ? "them" : "it"} under ${broken.map((tag) => `"${tag.lookupTag}"`).join(", ")}, which ${broken.length > 1 ? "do" : "does"} not exist: tofu init fails whenever it selects ${broken.length > 1 ? "those versions" : "that version"} (without a constraint it takes the newest, ${listing.versions[0]}); retag or delete ${broken.length > 1 ? "them" : "it"}`;
  const newest = listing.versions[0];
  const summary = `${listing.versions.length} of ${tags.length} tags are versions${newest ? `, newest ${newest}` : ""}${version && newest && version !== newest ? `; a constraint must select ${version}` : ""}`;
  checks.pass("available-versions", summary, warning);
}

async function checkIndex(session: Session, descriptor: Descriptor): Promise<GoIndex> {
  const { checks, store, settings } = session;
  if (descriptor.artifactType && descriptor.artifactType !== ArtifactType.provider)
    checks.fail("artifact-type", earlyArtifactTypeProblem(descriptor.artifactType));
  if (descriptor.mediaType !== MediaType.imageIndex)
    checks.fail("manifest-media-type", indexMediaTypeProblem(descriptor.mediaType));
  return readImageIndex(store, descriptor, checks, { signal: settings.signal });
}

/** fetchOCIDescriptorForVersion's early artifactType check, when the store reports one. */
function earlyArtifactTypeProblem(artifactType: string): string {
  if (artifactType === ArtifactType.providerTarget)
    return "the tag refers directly to one platform's image manifest, but OpenTofu providers require an index manifest for multi-platform support; tag the index instead";
  if (artifactType === ArtifactType.module)
    return "the selected artifact is an OpenTofu module package, not a provider package";
  return `unsupported OCI artifact type "${artifactType}"; a provider version is an index with artifactType ${ArtifactType.provider}`;
}

function indexMediaTypeProblem(mediaType: string): string {
  if (mediaType === MediaType.imageManifest) {
    return "the tag selects an OCI image manifest directly, but providers must be selected through a multi-platform index manifest; push the provider with tofu-oci-push, which writes an index with one manifest per platform";
  }
  return `unsupported media type "${mediaType}" for the provider's index; it must be ${MediaType.imageIndex}`;
}

function checkPushedDigest(session: Session, descriptor: Descriptor): void {
  const pushed = session.input.pushed?.digest;
  if (!pushed) return;
  session.checks.expect(
    "pushed-digest",
    pushed === descriptor.digest
      ? undefined
      : `the tag now selects ${descriptor.digest}, not ${pushed} that tofu-oci-push recorded; someone moved the tag`,
    `the tag still selects the pushed ${pushed}`,
  );
}

function checkLockEntry(session: Session, state: ProviderState): ProviderLock | undefined {
  const { settings, checks, input } = session;
  if (!settings.lock) return undefined;
  const selection = selectLock(settings.lock, settings.provider ?? input.pushed?.provider, state.version);
  if (selection.kind === "problem") return checks.fail("lock-entry", selection.problem);
  if (selection.kind === "none") {
    checks.pass("lock-entry", "no lock entry applies", selection.why);
    return undefined;
  }
  checks.pass(
    "lock-entry",
    `${selection.how}: ${selection.lock.address} ${selection.lock.version}, ${selection.lock.hashes.length} hashes`,
  );
  state.version ??= selection.lock.version;
  return selection.lock;
}

function choosePlatforms(session: Session, index: GoIndex): string[] {
  const { checks, settings } = session;
  const available = indexPlatforms(index.manifests);
  if (settings.platforms.length > 0) {
    checks.pass(
      "platforms",
      `requested ${settings.platforms.join(", ")}; the index lists ${available.join(", ") || "none"}`,
    );
    return settings.platforms;
  }
  if (available.length === 0) {
    return checks.fail(
      "platforms",
      `the index lists no platform OpenTofu can select (entries with artifactType ${ArtifactType.providerTarget} and platform {os, architecture}); push the provider with tofu-oci-push`,
    );
  }
  checks.pass("platforms", `checking every platform of the index: ${available.join(", ")}`);
  return available;
}

async function checkPlatform(session: Session, state: ProviderState, index: GoIndex, platform: string): Promise<void> {
  const checks = session.checks.forPlatform(platform);
  const result: PlatformResult = { platform };
  state.results.push(result);
  const [os, arch] = platform.split("_") as [string, string];
  const selection = selectPlatformManifest(index.manifests, os, arch);
  if (!selection.ok) return checks.fail("platform-manifest", selection.problem);
  checks.pass("platform-manifest", `${selection.descriptor.digest}`);
  result.manifest = selection.descriptor.digest;
  const options = { signal: session.settings.signal };
  // tofu-oci-mirror --sbom attaches one SBOM per platform manifest.
  if (session.settings.requireSbom && !state.sbomOnIndex) {
    const sbom = await checkSbom(session.store, plain(selection.descriptor), checks, options);
    await saveSbom(session, state.outcome, sbom, platform, checks);
  }
  const manifest = await readImageManifest(
    session.store,
    plain(selection.descriptor),
    ArtifactType.providerTarget,
    checks,
    options,
  );
  const decoded = selectProviderLayer(manifest.layers);
  const layer = expectLayer(decoded, checks);
  checks.expect(
    "layer-platform",
    decoded.ok ? layerPlatformProblem(decoded.descriptor, os, arch) : undefined,
    decoded.ok && decoded.descriptor.platform ? `marked ${platform}` : "no platform on the layer",
  );
  Object.assign(result, { layer: layer.digest, zh: zhOf(layer.digest) });
  if (state.lock)
    checks.expect(
      "lock-zh",
      zhProblem(state.lock, layer.digest),
      `${zhOf(layer.digest)} is locked (or the entry has no hashes)`,
    );
  const annotated = h1Annotation(manifest.annotations, checks);
  if (annotated !== undefined && session.settings.trustH1Annotation) {
    checks.pass(
      "h1-annotation",
      `${annotated} from the manifest's ${PROVIDER_H1_ANNOTATION} annotation; the zip was not downloaded`,
    );
    Object.assign(result, { h1: annotated, h1From: "annotation" });
    return;
  }
  await checkPackage(session, state, checks, layer, result, annotated);
}

/** The manifest's h1: annotation; one that is not an h1: hash fails `h1-annotation`. */
function h1Annotation(annotations: Record<string, string> | null | undefined, checks: Checks): string | undefined {
  const value = annotations?.[PROVIDER_H1_ANNOTATION];
  if (value === undefined) return undefined;
  if (!/^h1:[A-Za-z0-9+/]{43}=$/.test(value))
    return checks.fail(
      "h1-annotation",
      `the manifest's ${PROVIDER_H1_ANNOTATION} annotation "${value}" is not an h1: hash; push the provider again with tofu-oci push or mirror`,
    );
  return value;
}

async function checkPackage(
  session: Session,
  state: ProviderState,
  checks: Checks,
  layer: Descriptor,
  result: PlatformResult,
  annotated: string | undefined,
): Promise<void> {
  const blob = await downloadLayer(session.store, layer, session.settings.tempDir, checks, {
    signal: session.settings.signal,
  });
  try {
    const zip = await checkPackageZip(blob.path, checks);
    const hashes = packageHashes(zip.entries, zip.plan);
    Object.assign(result, { h1: hashes.h1OfUnpackedPackage, h1From: "content" });
    if (annotated !== undefined) {
      const problem = `the manifest's ${PROVIDER_H1_ANNOTATION} annotation says ${annotated}, but the package hashes to ${hashes.h1OfUnpackedPackage}; a lock file made from the annotation would not install, so push the provider again`;
      checks.expect(
        "h1-annotation",
        annotated === hashes.h1OfUnpackedPackage ? undefined : problem,
        `${annotated} recorded on the manifest matches the package`,
      );
    }
    if (state.lock)
      checks.expect("lock-h1", await h1Problem(state.lock, layer.digest, hashes), describeH1(state.lock, hashes));
    const executable = findExecutable(zip, state.type.name, {
      guessed: state.type.guessed,
      os: result.platform.split("_")[0]!,
    });
    if (!executable.ok)
      checks.fail(
        "provider-executable",
        state.type.guessed
          ? `${executable.problem} (the type "${state.type.name}" is guessed from the repository name; pass --provider HOST/NAMESPACE/TYPE)`
          : executable.problem,
      );
    checks.pass("provider-executable", executable.name, executable.warning);
    result.executable = executable.name;
    if (session.settings.extract) await extract(zip, session.settings.extract, checks, state.outcome);
  } finally {
    await blob.remove();
  }
}

/**
 * `extract` needs one platform: the only one requested or in the index. More is a usage error,
 * not a verdict: the artifact may install fine, the command line asked for two things at once.
 */
function checkExtractablePlatforms(session: Session, platforms: string[]): void {
  if (!session.settings.extract || platforms.length === 1) return;
  throw usageError(
    `--extract unpacks one platform, and ${platforms.length} are checked (${platforms.join(", ")})`,
    "Pass --platform OS_ARCH with --extract.",
  );
}

/** The provider type: --provider, the record's provider, the lock entry, else the repository name's last part. */
function providerType(session: Session, lockAddress?: string): ProviderState["type"] {
  const address = session.settings.provider ?? session.input.pushed?.provider ?? lockAddress;
  if (address) return { name: address.split("/")[2] ?? address, guessed: false, address };
  const last = session.input.location.repository
    .split("/")
    .pop()!
    .replace(/^terraform-provider-/, "");
  return { name: last, guessed: true };
}
