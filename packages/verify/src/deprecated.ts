import * as opentofu from "@tofu-oci/opentofu";

// OpenTofu's rules moved to @tofu-oci/opentofu; these names keep working for one release.

/** @deprecated Use `parseLockFile` from @tofu-oci/opentofu. */
export const parseLockFile = opentofu.parseLockFile;
/** @deprecated Use `readLockFile` from @tofu-oci/opentofu. */
export const readLockFile = opentofu.readLockFile;
/** @deprecated Use `selectLock` from @tofu-oci/opentofu. */
export const selectLock = opentofu.selectLock;
/** @deprecated Use `preferredHashes` from @tofu-oci/opentofu. */
export const preferredHashes = opentofu.preferredHashes;
/** @deprecated Use `zhOf` from @tofu-oci/opentofu. */
export const zhOf = opentofu.zhOf;
/** @deprecated Use `zhProblem` from @tofu-oci/opentofu. */
export const zhProblem = opentofu.zhProblem;
/** @deprecated Use `judgeVersionTag` from @tofu-oci/opentofu. */
export const judgeVersionTag = opentofu.judgeVersionTag;
/** @deprecated Use `normalizeVersion` from @tofu-oci/opentofu. */
export const normalizeVersion = opentofu.normalizeVersion;
/** @deprecated Use `formatProviderAddress` from @tofu-oci/opentofu. */
export const formatProviderAddress = opentofu.formatProviderAddress;
/** @deprecated Use `manifestTooLarge` from @tofu-oci/opentofu. */
export const manifestTooLarge = opentofu.manifestTooLarge;
/** @deprecated Use `LockFile` from @tofu-oci/opentofu. */
export type LockFile = opentofu.LockFile;
/** @deprecated Use `ProviderLock` from @tofu-oci/opentofu. */
export type ProviderLock = opentofu.ProviderLock;
/** @deprecated Use `LockSelection` from @tofu-oci/opentofu. */
export type LockSelection = opentofu.LockSelection;
/** @deprecated Use `TagVerdict` from @tofu-oci/opentofu. */
export type TagVerdict = opentofu.TagVerdict;
/** @deprecated Use `ProviderAddress` from @tofu-oci/opentofu. */
export type ProviderAddress = opentofu.ProviderAddress;
