import type { CheckResult } from "@tofu-oci/core";
import { packageMatchesAnyHash, preferredHashes, zhOf, zhProblem, type ProviderLock } from "@tofu-oci/opentofu";
import { MirrorCheckId, checkResult } from "./check-ids.js";

/** The verdict on one zip against the lock file, and a caveat for `tofu init` from the mirror. */
export interface LockVerdict {
  check: CheckResult;
  warning?: string;
}

/**
 * Checks a release zip against a lock entry as OpenTofu's direct install does
 * (`packageMatchesAnyHash` of @tofu-oci/opentofu): its `zh:`, or the `h1:` of its entries, must be
 * among the locked `zh:`/`h1:` hashes. No hashes locked means no check. When only an `h1:`
 * matched, the warning says that an install from the OCI mirror also needs the `zh:` in the lock
 * file.
 * @param h1OfZipEntries computes the zip's `h1OfZipEntries`, only when an `h1:` is tried.
 */
export async function checkLockHashes(
  lock: ProviderLock,
  layerDigest: string,
  platform: string,
  h1OfZipEntries: () => Promise<string>,
): Promise<LockVerdict | undefined> {
  const hashes = preferredHashes(lock);
  if (hashes.length === 0) return undefined;
  const zh = zhOf(layerDigest);
  let h1: string | undefined;
  const match = await packageMatchesAnyHash(hashes, { zh, h1OfZipEntries: async () => (h1 = await h1OfZipEntries()) });
  if (!match.ok) {
    const locked = `the ${hashes.length} hashes the lock file has for ${lock.address} ${lock.version}`;
    const why = match.error
      ? `the h1: of the zip cannot be computed (${match.error}), and an h1: comes first among ${locked}`
      : `neither ${zh} nor ${h1 ?? "its h1:"} is among ${locked}`;
    return { check: checkResult(MirrorCheckId.lockHashes, false, `${platform}: ${why}`) };
  }
  const verdict: LockVerdict = {
    check: checkResult(MirrorCheckId.lockHashes, true, `${platform}: ${match.hash} is locked`),
  };
  const problem = zhProblem(lock, layerDigest);
  if (problem) verdict.warning = problem;
  return verdict;
}
