import { ArtifactType, MediaType, formatReference, plural, type Descriptor } from "@tofu-oci/core";
import { configFiles, findModuleDir, selectModuleLayer, type GoDescriptor, type Selection } from "@tofu-oci/opentofu";
import { downloadLayer } from "./blob-file.js";
import { runChain, type Checks } from "./checks.js";
import { extractPackage } from "./extract.js";
import { readImageManifest } from "./manifest-checks.js";
import { checkPackageZip, type CheckedZip } from "./package-zip.js";
import { checkResolution } from "./resolution.js";
import { checkSbom } from "./sbom.js";
import type { Outcome, Session } from "./session.js";

/**
 * Verifies a module package as OpenTofu's `oci` module source installs it
 * (internal/getmodules/oci_getter.go, go-getter's unzip, internal/initwd module installer).
 */
export async function verifyModule(session: Session): Promise<Outcome> {
  const outcome: Outcome = {};
  await runChain(async () => {
    const descriptor = checkResolution(session.resolution!, session.checks, session.input.addressWarning);
    outcome.digest = descriptor.digest;
    outcome.source = moduleSource(session, descriptor.digest);
    await checkManifestAndLayer(session, descriptor, outcome);
  });
  return outcome;
}

async function checkManifestAndLayer(session: Session, descriptor: Descriptor, outcome: Outcome): Promise<void> {
  const { store, checks, settings } = session;
  const options = { signal: settings.signal };
  if (descriptor.mediaType !== MediaType.imageManifest)
    checks.fail("manifest-media-type", mediaTypeProblem(descriptor.mediaType));
  const manifest = await readImageManifest(store, descriptor, ArtifactType.module, checks, options);
  const layer = expectLayer(selectModuleLayer(manifest.layers), checks);
  if (settings.requireSbom) await checkSbom(store, descriptor, checks, options);
  const blob = await downloadLayer(store, layer, settings.tempDir, checks, options);
  try {
    const zip = await checkPackageZip(blob.path, checks);
    outcome.moduleDir = checkModuleDir(session, zip);
    if (settings.extract) await extract(zip, settings.extract, checks, outcome);
  } finally {
    await blob.remove();
  }
}

function mediaTypeProblem(mediaType: string): string {
  const what =
    mediaType === MediaType.imageIndex
      ? "an OCI image index (a provider version, or a multi-platform image; verify providers with --type provider)"
      : mediaType === MediaType.dockerManifest
        ? "a Docker image manifest"
        : `"${mediaType}"`;
  return `the reference selects ${what}, not an OCI image manifest ("selected object is not an OCI image manifest"); push the module with tofu-oci-push`;
}

/** Records `zip-layer` for a selection and returns the layer as a descriptor to fetch. */
export function expectLayer(selection: Selection, checks: Checks): Descriptor {
  if (!selection.ok) return checks.fail("zip-layer", selection.problem);
  checks.pass("zip-layer", `one ${MediaType.zip} layer, ${selection.descriptor.digest}${selection.note}`);
  return plain(selection.descriptor);
}

/**
 * A decoded descriptor as one to fetch. Go's int64 size becomes a number: a size beyond 2^53
 * cannot be served anyway, and the size check of the fetch then fails as ORAS's would.
 */
export function plain(descriptor: GoDescriptor): Descriptor {
  return { mediaType: descriptor.mediaType, digest: descriptor.digest, size: Number(descriptor.size) };
}

/** `subdir` (when the source has one) and `config-files`; returns the module directory. */
function checkModuleDir(session: Session, zip: CheckedZip): string {
  const { checks, input } = session;
  const subdir = input.location.subdir;
  const found = findModuleDir(zip.plan, subdir);
  if (!found.ok) return checks.fail("subdir", found.problem);
  if (subdir !== undefined)
    checks.pass(
      "subdir",
      `//${subdir} is ${found.dir === "" ? "the package root" : `the directory ${found.dir} of the package`}`,
    );
  const files = configFiles(zip.plan, found.dir);
  const where = found.dir === "" ? "the package root" : found.dir;
  if (files.length === 0) {
    checks.pass(
      "config-files",
      `${where} has no .tf, .tf.json, .tofu or .tofu.json file`,
      `OpenTofu loads ${where} as an empty module with no variables, outputs or resources; check the //subdir or the packed directory`,
    );
  } else {
    checks.pass(
      "config-files",
      `${files.length} configuration file${files.length > 1 ? "s" : ""} in ${where}: ${files.slice(0, 5).join(", ")}${files.length > 5 ? ", ..." : ""}`,
    );
  }
  return found.dir;
}

/** `extract`: unpacks only when every check so far passed. */
export async function extract(zip: CheckedZip, dir: string, checks: Checks, outcome: Outcome): Promise<void> {
  if (!checks.ok) return;
  try {
    await extractPackage(zip, dir);
  } catch (error) {
    checks.fail("extract", `cannot unpack into ${dir}: ${(error as Error).message}`);
  }
  outcome.extracted = dir;
  checks.pass("extract", `unpacked ${plural(zip.plan.files.size, "file")} into ${dir}`);
}

function moduleSource(session: Session, digest: string): string | undefined {
  const { location } = session.input;
  if (location.kind !== "registry") return undefined;
  const { registry, repository, subdir } = location;
  return formatReference({ registry, repository, digest, ...(subdir ? { subdir } : {}) }, "opentofu");
}
