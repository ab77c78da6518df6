import { digestHex } from "@tofu-oci/core";
import type { LockFile, ProviderLock } from "./lock-file.js";

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
    return { kind: "none", why: `the lock file has no provider${at}; tofu init would install it without checking hashes and add an entry` };
  }
  const names = candidates.map((lock) => lock.address).join(", ");
  return { kind: "problem", problem: `the lock file has several providers${at} (${names}); pass --provider HOST/NAMESPACE/TYPE to pick one` };
}

function selectByAddress(file: LockFile, provider: string, version: string | undefined): LockSelection {
  const lock = file.providers.get(provider);
  if (!lock) return { kind: "none", why: `the lock file has no entry for ${provider}; tofu init would install it without checking hashes and add one` };
  if (version !== undefined && lock.version !== version) {
    return {
      kind: "problem",
      problem: `the lock file selects ${provider} ${lock.version}, so tofu init would install ${lock.version}, not ${version}; verify the tag for ${lock.version}, or run tofu init -upgrade to move the lock to ${version}`,
    };
  }
  return { kind: "entry", lock, how: `the entry for ${provider}` };
}

/** The hashes OpenTofu uses from a lock entry, in file order (getproviders.PreferredHashes). */
export function preferredHashes(lock: ProviderLock): string[] {
  return lock.hashes.filter((hash) => hash.startsWith("h1:") || hash.startsWith("zh:"));
}

/** `zh:` + the hex of a sha256 layer digest: OpenTofu's hash for an OCI provider package. */
export function zhOf(layerDigest: string): string {
  return `zh:${digestHex(layerDigest)}`;
}

/**
 * OpenTofu's check before it downloads an OCI provider package
 * (package_location_oci_blob_archive.go InstallProviderPackage): when the lock has any
 * preferred hashes, the layer digest as `zh:` must be one of them. Returns the problem, if any.
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

/** The two `h1:` hashes of a provider zip. */
export interface PackageHashes {
  /** dirhash.HashZip over the zip's entries, what OpenTofu compares against the lock before unpacking; undefined with the reason when it cannot be computed. */
  zipH1: string | { error: string };
  /** The h1: of the unpacked directory, what tofu init writes into the lock file. */
  dirH1: string;
}

/**
 * OpenTofu's final hash check (hash.go HashesMatchingPackage via MatchesAnyHash): the locked
 * hashes are tried in file order, computing h1: over the zip when an h1: comes up; the first
 * match accepts, and an error computing h1: before that refuses the package.
 * Returns the problem, if any (the zh: check before download already passed).
 */
export function h1Problem(lock: ProviderLock, layerDigest: string, hashes: PackageHashes): string | undefined {
  const zh = zhOf(layerDigest);
  for (const hash of preferredHashes(lock)) {
    if (hash.startsWith("h1:")) {
      if (typeof hashes.zipH1 !== "string") return `OpenTofu cannot compute the h1: hash of the package (${hashes.zipH1.error}), and the lock file lists an h1: hash it must try first`;
      if (hash === hashes.zipH1) return undefined;
    } else if (hash === zh) return undefined;
  }
  return undefined;
}

/** A sentence on how the package's h1: relates to the locked ones. */
export function describeH1(lock: ProviderLock, hashes: PackageHashes): string {
  const locked = preferredHashes(lock).filter((hash) => hash.startsWith("h1:"));
  if (locked.includes(hashes.dirH1)) return `${hashes.dirH1} (the unpacked package) is locked`;
  if (locked.length === 0) return `${hashes.dirH1} (the unpacked package); the lock file has no h1: hash, tofu init adds this one`;
  return `${hashes.dirH1} (the unpacked package) is not among the ${locked.length} locked h1: hashes, which are likely for other platforms; tofu init accepts the package by its zh: hash and adds this h1:`;
}
