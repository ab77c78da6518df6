export {
  TofuOciError,
  RegistryError,
  isTofuOciError,
  isRegistryError,
  isErrorCode,
  exitCodeOf,
  usageError,
  invalidInput,
  type ErrorCode,
  type TofuOciErrorOptions,
  type RegistryErrorDetail,
} from "./errors.js";
export {
  parseReference,
  isModuleSourceAddress,
  formatReference,
  parseLayoutReference,
  formatLayoutReference,
  isValidTag,
  isValidDigest,
  assertTag,
  assertDigest,
  type Reference,
  type LayoutReference,
} from "./reference.js";
export {
  sha256Digest,
  checkedDigest,
  digestHex,
  digestStream,
  digestFile,
  verifiedStream,
  ensureVerified,
  observeVerified,
  verifyBytes,
  DigestMeter,
  DigestVerifier,
  type Digest,
  type DigestedContent,
  type Expected,
} from "./digest.js";
export {
  MediaType,
  ArtifactType,
  Annotation,
  MANIFEST_SIZE_LIMIT,
  isManifestMediaType,
  isIndexMediaType,
} from "./media-types.js";
export {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  encodeManifest,
  buildImageManifest,
  buildImageIndex,
  parseManifest,
  isIndex,
  successors,
  plainDescriptor,
  isDescriptor,
  type Descriptor,
  type Platform,
  type ImageManifest,
  type ImageIndex,
  type Manifest,
  type EncodedManifest,
  type ImageManifestOptions,
  type ImageIndexOptions,
} from "./manifest.js";
export {
  openContent,
  isReplayable,
  fileContent,
  asResumable,
  isResumable,
  type ResumableContent,
  isMounter,
  isRangeFetcher,
  type RangeFetcher,
  type Content,
  type Fetcher,
  type Pusher,
  type PushOptions,
  type ExistenceChecker,
  type Resolver,
  type Tagger,
  type TagLister,
  type ReferrerLister,
  type ReferrersOptions,
  type ReadOnlyTarget,
  type Target,
  type Mounter,
  type OperationOptions,
} from "./target.js";
export { readAll, fetchManifest, fetchManifestBytes, assertManifestSize } from "./content.js";
export { copy, copyGraph, confirmTag, resolveIfExists, type CopyOptions, type CopyResult } from "./copy.js";
export { withManifests } from "./overlay-target.js";
export {
  NO_TRANSFER,
  addCounts,
  countsOf,
  type TransferCounts,
  type TransferHooks,
  type DownloadHooks,
} from "./transfer.js";
export {
  CONFIG_BLOB,
  fileBlob,
  stageGraph,
  pushGraph,
  type LocalFile,
  type StagedBlob,
  type LocalGraph,
} from "./local-graph.js";
export { referrerGraph, buildReferrerManifest, type Attachment } from "./referrer-graph.js";
export { moduleArtifactRecord, providerArtifactRecord, type ProviderRecordInput } from "./artifact-records.js";
export {
  parseLocator,
  formatLocator,
  locatorName,
  moduleSource,
  repositoryOf,
  selectorOf,
  openLocator,
  openTarget,
  type Locator,
  type ParseLocatorOptions,
  type OpenLocatorOptions,
  type OpenedLocator,
  type OpenTargetOptions,
} from "./locator.js";
export {
  anonymous,
  staticCredentials,
  type Credential,
  type CredentialProvider,
} from "./credentials.js";
export {
  readRecords,
  writeRecord,
  NOTHING_TRANSFERRED,
  transferFields,
  type TransferFields,
  type AttachedReferrer,
  type ModuleArtifactRecord,
  type ProviderArtifactRecord,
  type PushedPlatform,
  type ReferrerRecord,
  expectKind,
  type AnyRecord,
  type PackageRecord,
  type ModulePackageRecord,
  type ProviderPackageRecord,
  type ProviderPlatformPackage,
  type ArtifactRecord,
  type VerificationRecord,
  type CheckResult,
  type ErrorRecord,
} from "./records.js";
export { readInputRecords, UpstreamError, isUpstreamError, type InputRecordsOptions } from "./input-records.js";
export { formatBytes } from "./format-bytes.js";
export { describeTransfer } from "./transfer-text.js";
export { plural } from "./plural.js";
export { writeFileAtomic, writeStreamAtomic, withFileLock, tempPathFor } from "./atomic-file.js";
export { fileSink, type FileSinkOptions } from "./file-sink.js";
export { mapConcurrent, Semaphore } from "./concurrency.js";
export { ProgressStream } from "./progress-stream.js";
export { safeRemoteText, type SafeTextOptions } from "./remote-text.js";
export {
  RetryBudget,
  withRetryScope,
  operationBudget,
  currentBudget,
  type RetryBudgetOptions,
} from "./retry-budget.js";
