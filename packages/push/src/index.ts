export { push, type PushOptions, type PushContext, type PushRecord } from "./push.js";
export { attach, type AttachOptions } from "./attach.js";
export { parseAnnotations } from "./annotations.js";
export { detectSbomType } from "./sbom.js";
export { ociMirrorSnippet, describePushRecord, describeReferrerRecord } from "./text.js";
export type {
  AttachedReferrer,
  ModuleArtifactRecord,
  ProviderArtifactRecord,
  PushedPlatform,
  ReferrerRecord,
  TransferHooks,
} from "./records.js";
