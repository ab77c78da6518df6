export { push, type PushOptions, type PushContext, type PushRecord } from "./push.js";
export { attach, type AttachOptions } from "./attach.js";
export { parseAnnotations } from "./annotations.js";
export { detectSbomType } from "./sbom.js";
export { ociMirrorSnippet, describePushRecord, describeReferrerRecord } from "./text.js";
// The record types and the referrer manifest builder live in @tofu-oci/core since mirror writes the same records.
export {
  buildReferrerManifest,
  type AttachedReferrer,
  type ModuleArtifactRecord,
  type ProviderArtifactRecord,
  type PushedPlatform,
  type ReferrerRecord,
  type TransferHooks,
} from "@tofu-oci/core";
