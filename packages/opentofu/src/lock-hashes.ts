import type { LockFile, ProviderLock } from "./lock-file.js";
import { zhOf, type PackageHashes } from "./package-hashes.js";

/** Which lock-file block applies to the artifact, and how it was chosen. */
export type LockSelection =
  | { kind: "entry"; lock: ProviderLock; how: string }
  | { kind: "none"; why: string }
  | { kind: "problem"; problem: string };

/**
 * Picks the lock-file block for a provider version: the block of `provider` when given, else
 * the only block at `version` (or, with no version known, the only block in the file).
 */
export function selectLock(file: LockFile, provider: string | undefined, version: string | undefined): LockSelection {
  if (provider !== undefined) return selectByAddress(file, provider, version);
  const all = [...file.providers.values()];
  const candidates = version === undefined ? all : all.filter((lock) => lock.version === version);
  const at = version === undefined ? "" : ` at version ${version}`;
  if (candidates.length === 1) return { kind: "entry", lock: candidates[0]!, how: `the only provider locked${at}` };
  if (candidates.length === 0) {
    return {
      kind: "none",
      why: `the lock file has no provider${at}; tofu init would install it without checking hashes and add an entry`,
    };
  }
  const names = candidates.map((lock) => lock.address).join(", ");
  return {
    kind: "problem",
    problem: `the lock file has several providers${at} (${names}); pass --provider HOST/NAMESPACE/TYPE to pick one`,
  };
}

function selectByAddress(file: LockFile, provider: string, version: string | undefined): LockSelection {
  const lock = file.providers.get(provider);
  if (!lock)
    return {
      kind: "none",
      why: `the lock file has no entry for ${provider}; tofu init would install it without checking hashes and add one`,
    };
  if (version !== undefined && lock.version !== version) {
    return {
      kind: "problem",
      problem: `the lock file selects ${provider} ${lock.version}, so tofu init would install ${lock.version}, not ${version}; verify the tag for ${lock.version}, or run tofu init -upgrade to move the lock to ${version}`,
    };
  }
  return { kind: "entry", lock, how: `the entry for ${provider}` };
}

/** The hashes OpenTofu uses from a lock entry, in file order (internal/getproviders/hash.go:311 PreferredHashes). */
export function preferredHashes(lock: ProviderLock): string[] {
  return lock.hashes.filter((hash) => hash.startsWith("h1:") || hash.startsWith("zh:"));
}

/**
 * OpenTofu's check before it downloads an OCI provider package
 * (internal/getproviders/package_location_oci_blob_archive.go:86 InstallProviderPackage, :264
 * ociPackageDescriptorDigestMatchesAnyHash): when the lock has any preferred hashes, the layer
 * digest as `zh:` must be one of them. Returns the problem, if any.
 */
export function zhProblem(lock: ProviderLock, layerDigest: string): string | undefined {
  const hashes = preferredHashes(lock);
  const zh = zhOf(layerDigest);
  if (hashes.length === 0 || hashes.includes(zh)) return undefined;
  const how =
    `add "${zh}" to the hashes of ${lock.address} in the lock file, or run ` +
    `tofu providers lock -platform=OS_ARCH ... against the provider's origin registry, which records the zh: hash of every platform's release zip (the OCI layer must be that zip byte for byte)`;
  if (hashes.every((hash) => hash.startsWith("h1:"))) {
    return `the lock file has only h1: hashes for ${lock.address} ${lock.version}, and OpenTofu installs from an OCI mirror only when the layer digest ${zh} is among the locked hashes; ${how}`;
  }
  return `the layer digest ${zh} is not among the ${hashes.length} hashes locked for ${lock.address} ${lock.version}, so tofu init refuses the package ("doesn't match any of the checksums previously recorded in the dependency lock file"); if this package is right, ${how}`;
}

/** What a provider archive is checked with: its `zh:`, and its `h1:` computed only when needed. */
export interface ArchiveHashes {
  /** The archive's `zh:<hex>` hash (its SHA-256). */
  zh: string;
  /** `h1OfZipEntries` of the archive; a throw is OpenTofu's "failed to calculate checksum". */
  h1OfZipEntries: () => string | Promise<string>;
}

/** The hash that matched, or why none did (`error`: computing the `h1:` failed first). */
export type HashMatch = { ok: true; hash: string } | { ok: false; error?: string };

/**
 * OpenTofu's check of a provider archive against the lock file (internal/getproviders/hash.go:226
 * PackageMatchesAnyHash over HashesMatchingPackage, :247), made by every install
 * (package_location_local_archive.go:39): the allowed hashes are tried in order; an `h1:` is
 * compared with the `h1:` of the zip's entries, computed the first time one comes up, and an
 * error computing it refuses the package; a `zh:` is compared with the zip's sha256; other
 * schemes never match. No allowed hashes means no check (`ok` with hash "").
 */
export async function packageMatchesAnyHash(allowed: readonly string[], archive: ArchiveHashes): Promise<HashMatch> {
  if (allowed.length === 0) return { ok: true, hash: "" };
  let h1: string | undefined;
  for (const hash of allowed) {
    if (hash.startsWith("h1:")) {
      try {
        h1 ??= await archive.h1OfZipEntries();
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
      if (hash === h1) return { ok: true, hash };
    } else if (hash.startsWith("zh:") && hash === archive.zh) return { ok: true, hash };
  }
  return { ok: false };
}

/**
 * OpenTofu's final hash check of an OCI provider package, after the `zh:` check before download
 * passed ({@link packageMatchesAnyHash} with the lock's preferred hashes): returns the problem when
 * an `h1:` comes before the matching hash and cannot be computed.
 */
export async function h1Problem(
  lock: ProviderLock,
  layerDigest: string,
  hashes: PackageHashes,
): Promise<string | undefined> {
  const { h1OfZipEntries } = hashes;
  const match = await packageMatchesAnyHash(preferredHashes(lock), {
    zh: zhOf(layerDigest),
    h1OfZipEntries: () => {
      if (typeof h1OfZipEntries !== "string") throw new Error(h1OfZipEntries.error);
      return h1OfZipEntries;
    },
  });
  if (match.ok || match.error === undefined) return undefined;
  return `OpenTofu cannot compute the h1: hash of the package (${match.error}), and the lock file lists an h1: hash it must try first`;
}

/** A sentence on how the package's h1: relates to the locked ones. */
export function describeH1(lock: ProviderLock, hashes: PackageHashes): string {
  const locked = preferredHashes(lock).filter((hash) => hash.startsWith("h1:"));
  if (locked.includes(hashes.h1OfUnpackedPackage))
    return `${hashes.h1OfUnpackedPackage} (the unpacked package) is locked`;
  if (locked.length === 0)
    return `${hashes.h1OfUnpackedPackage} (the unpacked package); the lock file has no h1: hash, tofu init adds this one`;
  return `${hashes.h1OfUnpackedPackage} (the unpacked package) is not among the ${locked.length} locked h1: hashes, which are likely for other platforms; tofu init accepts the package by its zh: hash and adds this h1:`;
}
