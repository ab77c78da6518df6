export {
  parseProviderAddress,
  formatProviderAddress,
  isBuiltInProvider,
  DEFAULT_PROVIDER_HOST,
  type ProviderAddress,
  type ProviderAddressForm,
  type ParseProviderAddressOptions,
} from "./provider-address.js";
export { parseModuleAddress, formatModuleAddress, DEFAULT_MODULE_HOST, type ModuleAddress } from "./module-address.js";
export { hostnameForComparison, hostnameForDisplay } from "./hostname.js";
export { parsePlatform, formatPlatform, currentPlatform, type Platform } from "./platform.js";
export { normalizeVersion, versionToTag, tagToVersion, judgeVersionTag, type TagVerdict } from "./version.js";
export { parseVersionConstraint, selectVersions, parseVersion, type VersionConstraint } from "./version-constraints.js";
export {
  h1OfFiles,
  h1OfDirectory,
  h1OfZipEntries,
  h1OfUnpackedPackage,
  packageHashes,
  zhOf,
  type HashedFile,
  type PackageHashes,
} from "./package-hashes.js";
export { parseLockFile, readLockFile, type LockFile, type ProviderLock } from "./lock-file.js";
export {
  selectLock,
  preferredHashes,
  zhProblem,
  packageMatchesAnyHash,
  h1Problem,
  describeH1,
  type LockSelection,
  type ArchiveHashes,
  type HashMatch,
} from "./lock-hashes.js";
export {
  buildModuleManifest,
  buildProviderManifest,
  buildProviderIndex,
  manifestTooLarge,
  type ModuleManifestOptions,
  type ProviderManifestOptions,
  type ProviderIndexOptions,
} from "./manifests.js";
export {
  moduleGraph,
  providerGraph,
  pushedPlatform,
  type ProviderGraph,
  type ProviderPlatformFile,
} from "./artifact-graphs.js";
export {
  decodeImageManifest,
  decodeImageIndex,
  declaredMediaType,
  GoJsonError,
  type GoDescriptor,
  type GoManifest,
  type GoIndex,
} from "./go-json.js";
export {
  selectModuleLayer,
  selectProviderLayer,
  selectPlatformManifest,
  indexPlatforms,
  layerPlatformProblem,
  type Selection,
} from "./layer-select.js";
export { inspectZip, readPackageZip, reviewNames, type InspectedEntry, type NameReview } from "./zip-inspect.js";
export { planUnpack, type UnpackPlan, type PlannedEntry } from "./unpack-plan.js";
export { findModuleDir, configFiles, type ModuleDir } from "./module-files.js";
export { findExecutable, runsAsIs, type ExecutableVerdict, type UnpackedZip } from "./provider-executable.js";
export {
  parseRepositoryTemplate,
  renderTemplate,
  assertRegistryTemplate,
  templateRepository,
  type RepositoryTemplate,
  type TemplateVariable,
  type TemplateRepository,
} from "./repository-template.js";
