import type { CheckResult } from "@tofu-oci/core";
import type { ProviderLock } from "@tofu-oci/verify";
import { CheckId, result } from "../provider-registry/package-checks.js";

/** The verdict on one zip against the lock file, and a caveat for `tofu init` from the mirror. */
export interface LockVerdict {
  check: CheckResult;
  warning?: string;
}

/**
 * Checks a release zip against a lock entry as OpenTofu's direct install does
 * (`PackageMatchesAnyHash`): its `zh:` or the `h1:` of its contents must be among the locked
 * `zh:`/`h1:` hashes. No hashes locked means no check. When only the `h1:` matched, the warning
 * says that an install from the OCI mirror also needs the `zh:` in the lock file.
 * @param zipH1 computes the zip's `h1:`, only when needed.
 */
export async function checkLockHashes(lock: ProviderLock, layerDigest: string, platform: string, zipH1: () => Promise<string>): Promise<LockVerdict | undefined> {
  const { preferredHashes, zhProblem } = await import("@tofu-oci/verify");
  const hashes = preferredHashes(lock);
  if (hashes.length === 0) return undefined;
  const zh = `zh:${layerDigest.replace(/^sha256:/, "")}`;
  if (hashes.includes(zh)) return { check: result(CheckId.lockHashes, true, `${platform}: ${zh} is locked`) };
  const h1 = await zipH1();
  if (!hashes.includes(h1)) {
    return { check: result(CheckId.lockHashes, false, `${platform}: neither ${zh} nor ${h1} is among the ${hashes.length} hashes the lock file has for ${lock.address} ${lock.version}`) };
  }
  const verdict: LockVerdict = { check: result(CheckId.lockHashes, true, `${platform}: ${h1} is locked`) };
  const problem = zhProblem(lock, layerDigest);
  if (problem) verdict.warning = problem;
  return verdict;
}
