export { push, type PushOptions, type PushContext } from "./push.js";
export { attach, type AttachOptions } from "./attach.js";
export { parseAnnotations } from "./annotations.js";
export { detectSbomType } from "./sbom.js";
export { buildReferrerManifest, type AttachedReferrer } from "./referrer.js";
export { ociMirrorSnippet, describePushRecord, describeReferrerRecord } from "./text.js";
export type { BlobEvent, BlobOutcome, TransferHooks } from "./uploader.js";
export type {
  PushRecord,
  ModuleArtifactRecord,
  ProviderArtifactRecord,
  PushedPlatform,
  ReferrerRecord,
} from "./artifact-records.js";
