import type * as core from "@tofu-oci/core";

// The records and the referrer manifest live in @tofu-oci/core since mirror writes them too.

/** The record of a pushed module (docs/contract/design.md §2.2); see @tofu-oci/core. */
export type ModuleArtifactRecord = core.ModuleArtifactRecord;
/** The record of a pushed provider version; see @tofu-oci/core. */
export type ProviderArtifactRecord = core.ProviderArtifactRecord;
/** One platform of a pushed provider version; see @tofu-oci/core. */
export type PushedPlatform = core.PushedPlatform;
/** The record of `tofu-oci-push attach`; see @tofu-oci/core. */
export type ReferrerRecord = core.ReferrerRecord;
/** A file attached to a pushed artifact; see @tofu-oci/core. */
export type AttachedReferrer = core.AttachedReferrer;
/** Progress of a push: core's copy hooks. */
export type TransferHooks = core.TransferHooks;
