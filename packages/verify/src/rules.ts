/** A rule verify applies, and the OpenTofu (>= 1.10) code it mirrors. */
export interface Rule {
  /** What must hold. */
  rule: string;
  /** File and function in the OpenTofu repository (or a library OpenTofu calls). */
  source: string;
}

const GETTER = "internal/getmodules/oci_getter.go";
const MIRROR = "internal/getproviders/oci_registry_mirror_source.go";
const BLOB = "internal/getproviders/package_location_oci_blob_archive.go";
const UNZIP = "go-getter v1.8.6 decompress_zip.go: ZipDecompressor.Decompress";

/**
 * Every check id a verification record can hold. A check fails exactly where `tofu init` would
 * refuse the artifact; things OpenTofu accepts but that look wrong pass with a `warning`.
 */
export const RULES = {
  "version-tag": {
    rule: "A provider tag is a version with + written as _; OpenTofu lists only tags that parse as versions and looks a version up by its normalized form",
    source: `${MIRROR}: AvailableVersions, fetchOCIDescriptorForVersion; go-versions ParseVersion`,
  },
  "available-versions": {
    rule: "Every tag of a provider repository is read as a version (_ as +) before one is chosen: a number over 2^64-1 makes go-versions panic and tofu init crash for every version; a tag listed under a version whose canonical tag does not exist is reported (warning)",
    source: `${MIRROR}:161-217 AvailableVersions, :474-493 fetchOCIDescriptorForVersion; go-versions v1.0.3 versions/constraints/raw.go:53-58`,
  },
  resolve: {
    rule: "The tag (default latest for modules) or digest resolves in the repository",
    source: `${GETTER}: resolveManifestDescriptor; ${MIRROR}: fetchOCIDescriptorForVersion`,
  },
  "manifest-media-type": {
    rule: "Modules: the selected object is an OCI image manifest. Providers: the tag selects an OCI image index, and each platform entry is an OCI image manifest. The manifest JSON repeats the same mediaType",
    source: `${GETTER}: resolveManifestDescriptor, fetchOCIImageManifest; ${MIRROR}: fetchOCIDescriptorForVersion, fetchOCIIndexManifest, fetchOCIImageManifest`,
  },
  "manifest-size": {
    rule: "size / 1024 / 1024 > 4 in integer arithmetic is refused (so up to 5 MiB - 1 byte passes)",
    source: `${GETTER}: fetchOCIManifestBlob; ${MIRROR}: fetchOCIManifestBlob`,
  },
  "manifest-digest": {
    rule: "The manifest bytes (read up to the descriptor size) match the descriptor digest",
    source: `${GETTER}: fetchOCIManifestBlob; ${MIRROR}: fetchOCIManifestBlob`,
  },
  "manifest-json": {
    rule: "The manifest decodes as an OCI image manifest (or index) with Go's encoding/json: field types must match, sizes are int64 (123.0 and 1e3 fail), keys match fields by Unicode simple folding, the last of repeated keys wins",
    source: `${GETTER}: fetchOCIImageManifest; ${MIRROR}: fetchOCIIndexManifest, fetchOCIImageManifest; Go encoding/json decode.go, fold.go (docs/contract/opentofu-rules.md §2)`,
  },
  "artifact-type": {
    rule: "artifactType is application/vnd.opentofu.modulepkg (module manifest), application/vnd.opentofu.provider (provider index) or application/vnd.opentofu.provider-target (platform manifest)",
    source: `${GETTER}: fetchOCIImageManifest; ${MIRROR}: fetchOCIDescriptorForVersion, fetchOCIIndexManifest, fetchOCIImageManifest`,
  },
  platforms: {
    rule: "The index lists the requested platforms (default: every provider-target entry)",
    source: `${MIRROR}: selectOCIImageManifest`,
  },
  "platform-manifest": {
    rule: "Exactly one index entry with artifactType provider-target, mediaType image manifest and platform {os, architecture} (no os.version) matches the platform; any provider-target entry with another mediaType or no platform breaks every platform",
    source: `${MIRROR}: selectOCIImageManifest`,
  },
  "zip-layer": {
    rule: "Exactly one layer has mediaType archive/zip; layers of other media types are ignored",
    source: `${GETTER}: selectOCILayerBlob; ${MIRROR}: selectOCILayerBlob`,
  },
  "layer-platform": {
    rule: "A platform on the provider layer descriptor, when present, equals the selected platform; the layer digest is sha256",
    source: `${BLOB}: checkOCIBlobDescriptor, hashFromOCIDigest`,
  },
  "lock-entry": {
    rule: "The lock file entry used is the one for this provider at this version (tofu init selects the locked version)",
    source: "internal/providercache/installer.go: ensureProviderVersionInDirectory; internal/depsfile/locks.go",
  },
  "lock-zh": {
    rule: "When the lock file has any h1:/zh: hashes for the version, zh:<layer digest hex> must be one of them, before download; an h1-only entry fails",
    source: `${BLOB}: PackageOCIBlobArchive.InstallProviderPackage, ociPackageDescriptorDigestMatchesAnyHash`,
  },
  "layer-digest": {
    rule: "The layer blob has the descriptor's size and sha256 digest",
    source: `${GETTER}: fetchOCIBlobToTemporaryFile; ${BLOB}: fetchOCIBlobToTemporaryFile`,
  },
  "lock-h1": {
    rule: "The locked hashes are tried in file order: an h1: before the first matching hash is computed over the zip (dirhash.HashZip) and an error there fails; the h1: of the unpacked package is reported",
    source:
      "internal/getproviders/package_location_local_archive.go: InstallProviderPackage; hash.go: HashesMatchingPackage, PackageHashV1",
  },
  "h1-annotation": {
    rule: "The h1: recorded on the platform manifest (dev.tofu-oci.provider.h1, by tofu-oci push and mirror) equals the h1: of the downloaded package; with trustH1Annotation it stands in for the download (not an OpenTofu rule)",
    source:
      "tofu-oci issue 18; OpenTofu computes h1: only from content (rfc/20241206-oci-registries/9-provider-implementation-details.md)",
  },
  "zip-format": {
    rule: "The layer is a zip Go's archive/zip reads, with at least one entry, Store or Deflate entries, right sizes and CRC-32s",
    source: UNZIP,
  },
  "zip-entry-names": {
    rule: "No entry name has a .. component (split on / and \\); absolute names, drive letters and backslashes are accepted (unpacked under the target) with a warning",
    source: `${UNZIP}, containsDotDot`,
  },
  "zip-unpack": {
    rule: "Entries unpack without a file where a directory is needed or a file over a directory",
    source: `${UNZIP} (os.MkdirAll, os.OpenFile)`,
  },
  subdir: {
    rule: "//subdir, cleaned by path.Clean, matches exactly one path in the package as a Go glob, and it is a directory; a subdir that leaves the package (//..) fails, since tofu init would load an empty module",
    source:
      "go-getter v1.8.6 source.go: SubdirGlob; internal/initwd/module_install.go: installGoGetterModule (docs/contract/opentofu-rules.md §1)",
  },
  "config-files": {
    rule: "The module directory's .tf, .tf.json, .tofu, .tofu.json files (not hidden, not editor backups, not tests) are found; none is accepted by OpenTofu (an empty module), so it passes with a warning",
    source: "internal/configs/parser_config_dir.go: dirFiles, IsIgnoredFile",
  },
  "provider-executable": {
    rule: "The package root holds a file terraform-provider-TYPE, optionally followed by _ or . and more",
    source: "internal/providercache/cached_provider.go: ExecutableFile; installer.go: ensureProviderVersionInDirectory",
  },
  "pushed-digest": {
    rule: "The tag still selects the digest tofu-oci-push recorded (not an OpenTofu rule; only for records on stdin)",
    source: "tofu-oci design.md §2.2",
  },
  sbom: {
    rule: "With --require-sbom: an SPDX (application/spdx+json) or CycloneDX (application/vnd.cyclonedx+json) referrer is attached, and its manifest, read back, matches its digest and names the artifact as its subject",
    source: "tofu-oci design.md §3 (not an OpenTofu rule)",
  },
  "extract-sbom": {
    rule: "With --extract-sbom: the SBOM the sbom check read back is written into DIR as NAME.cdx.json or NAME.spdx.json (NAME: the platform os_arch, or sbom), its size and digest checked, through a temporary file renamed into place",
    source: "tofu-oci issue 21 (not an OpenTofu rule)",
  },
  extract: {
    rule: "With --extract: the package is unpacked into DIR through a temporary directory renamed into place, only after every check passed",
    source: "tofu-oci issue 6",
  },
} as const satisfies Record<string, Rule>;

/** The id of a check. */
export type CheckId = keyof typeof RULES;
