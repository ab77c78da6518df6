export { copyArtifacts, type CopyArtifactsOptions } from "./copy-artifacts.js";
export { exportBundle, type ExportBundleOptions, type BundleRecord } from "./export-bundle.js";
export { importBundle, type ImportBundleOptions } from "./import-bundle.js";
export { mirrorModules, type MirrorModulesOptions, type MirroredModuleRecord } from "./mirror-modules.js";
export { filterIndex, type FilteredIndex, type PlatformName } from "./platform-filter.js";
export { parseShard, inShard, type Shard } from "./shard.js";
export {
  artifactKind,
  describeArtifactRecord,
  type ArtifactKind,
  type CopiedPlatform,
  type MirroredArtifactRecord,
} from "./artifact-record.js";
export type { MirrorContext } from "./mirror-context.js";
export type { ReferrerSummary } from "./referrer-summary.js";
export type { TransferCounts, TransferHooks } from "./transfer.js";
export {
  mirrorProviders,
  type ProvidersOptions,
  type ProvidersContext,
  type ProvidersHooks,
  type ProvidersResult,
} from "./providers.js";
export type {
  ProvidersRecord,
  ProviderMirrorRecord,
  ProviderFailureRecord,
  ProviderPlanRecord,
  AttachedSbom,
} from "./provider-mirror/records.js";
export { describeProvidersRecord } from "./providers-text.js";
export { cliConfigRecord, type CliConfigRecord } from "./providers-config.js";
export { destinationFor } from "./providers-input.js";
export { parseProviderRequest, type ProviderRequest } from "./provider-registry/address.js";
export {
  parseVersionConstraint,
  selectVersions,
  parseVersion,
  parsePlatform,
  parseRepositoryTemplate,
  renderTemplate,
  parseProviderAddress,
  formatProviderAddress,
  checkSignature,
  readBuildInfo,
  parseModInfo,
  buildCycloneDx,
  providerSbom,
  type VersionConstraint,
  type RepositoryTemplate,
  type TemplateVariable,
  type ProviderAddress,
  type SignatureResult,
  type SignatureCheckOptions,
  type BuildInfoMissing,
  type GoBuildInfo,
  type GoModule,
  type SbomSubject,
  type ProviderSbom,
} from "./deprecated.js";
