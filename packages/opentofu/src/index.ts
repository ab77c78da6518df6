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
export { canonicalConstraints } from "./constraints-string.js";
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
export { formatLockFile, LOCK_FILE_HEADER } from "./lock-file-writer.js";
export { quoteHclString, parseHcl, literalString } from "./hcl.js";
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
  PROVIDER_H1_ANNOTATION,
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
export { moduleFiles, type ModuleFiles } from "./config-files.js";
export {
  readProviderRequirements,
  type ProviderRequirement,
  type ConfigurationRequirements,
  type UnresolvedModule,
} from "./provider-requirements.js";
export {
  parseProviderPatterns,
  providerPatternsMatch,
  methodHandlesProvider,
  type ProviderPattern,
} from "./provider-patterns.js";
export { findExecutable, runsAsIs, type ExecutableVerdict, type UnpackedZip } from "./provider-executable.js";
export {
  parseRepositoryTemplate,
  renderTemplate,
  templateRepository,
  type ParseRepositoryTemplateOptions,
  type RepositoryTemplate,
  type TemplateVariable,
  type TemplateRepository,
} from "./repository-template.js";
export {
  compareGoVersions,
  listProviderTags,
  type MisreadTag,
  type ProviderTagListing,
  type TagOutcome,
  tagToVersionAsOpenTofu,
  versionToTagAsOpenTofu,
} from "./go-versions/tags.js";
export { formatGoVersion, type GoVersion, type ParseVersionResult, parseGoVersion } from "./go-versions/version.js";
export { decodeGoBase64 } from "./go-json/base64.js";
export {
  decodeGoIndex,
  decodeGoManifest,
  foldName,
  type GoDecodeResult,
  type GoDescriptor,
  type GoIndex,
  type GoManifest,
  type GoPlatform,
} from "./go-json/decode.js";
export { GoJsonSyntaxError, type JsonNode, parseGoJson } from "./go-json/scanner.js";
export {
  type DetectOutcome,
  detectRemote,
  encodeGoValues,
  formatGoUrl,
  forcedGetter,
  fromByteString,
  type GoUrl,
  type GoUrlResult,
  type GoValues,
  goPathClean,
  goQueryEscape,
  goQueryUnescape,
  goQuote,
  isRegistryModuleAddress,
  type ModuleSourceOptions,
  type ModuleSourceOutcome,
  moduleSourceAsOpenTofu,
  type OrasReference,
  parseGoQuery,
  parseGoRequestUri,
  parseGoUrl,
  parseOrasReference,
  sourceDirSubdir,
  splitPackageSubdir,
  subdirInPackage,
  toByteString,
  validateGoDigest,
  validateOrasDigest,
  validateOrasRegistry,
  validateOrasRepository,
  validateOrasTag,
  parseRepositoryAddressPrefix,
} from "@tofu-oci/core/go";
export { evaluate, TemplateEvalError, toText, type Variables } from "./hcl-template/evaluate.js";
export { type Diagnostic, type Expr, parseTemplate, TemplateSyntaxError, type Value } from "./hcl-template/parse.js";
export {
  checkRepositoryTemplate,
  expandRepositoryTemplate,
  rootNames,
  type TemplateCheck,
  type TemplateProvider,
} from "./hcl-template/repository-template.js";
