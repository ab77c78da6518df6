export { verify, type VerifyOptions, type VerifyContext, type VerifyRecord } from "./verify.js";
export { RULES, type Rule, type CheckId } from "./rules.js";
export type { Check } from "./checks.js";
export type { PlatformResult } from "./verify-provider.js";
export { describeVerification } from "./text.js";
export {
  parseLockFile,
  readLockFile,
  selectLock,
  preferredHashes,
  zhOf,
  zhProblem,
  judgeVersionTag,
  normalizeVersion,
  formatProviderAddress,
  manifestTooLarge,
  type LockFile,
  type ProviderLock,
  type LockSelection,
  type TagVerdict,
  type ProviderAddress,
} from "./deprecated.js";
