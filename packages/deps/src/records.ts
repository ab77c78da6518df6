import type { Check } from "@tofu-oci/verify";

/** `deps outdated`: one `oci://` module source and what its repository offers. */
export interface ModuleSourceRecord {
  /** Always `module-source`. */
  kind: "module-source";
  /** The file, relative to the configuration directory. */
  file: string;
  /** The 1-based line of the `source` string. */
  line: number;
  /** The module block's name (its first label). */
  module: string;
  /** The source as written. */
  source: string;
  /** `HOST/REPO`. */
  repository: string;
  /** The tag it pins (`?tag=`, `latest` when it names neither, or the `tag=` of its comment beside `?digest=`). */
  current?: string;
  /** The digest it pins (`?digest=`). */
  digest?: string;
  /** The version constraint that applies (the line's `# tofu-oci:` comment, else `--constraint`). */
  constraint?: string;
  /** The newest version tag the constraint allows. */
  wanted?: string;
  /** The newest version tag (not a prerelease). */
  latest?: string;
  /** With a digest pin and its tag: the tag names other content now. */
  tagMoved?: boolean;
  /** A newer allowed version exists. */
  outdated: boolean;
  /** Why the source could not be checked. */
  problem?: string;
  /** With `problem`: the repository or tag does not exist (exit 3; other problems are invalid input, exit 6). */
  notFound?: true;
}

/** `deps pin` and `deps update`: what happened to one source. */
export interface ModulePinRecord {
  /** Always `module-pin`. */
  kind: "module-pin";
  /** The file, relative to the configuration directory. */
  file: string;
  /** The 1-based line of the `source` string. */
  line: number;
  /** The module block's name (its first label). */
  module: string;
  /** The source before. */
  from: string;
  /** The source after (absent when refused). */
  to?: string;
  /** The tag the digest was taken from. */
  tag?: string;
  /** The manifest digest the new source pins, `sha256:<hex>`. */
  digest?: string;
  /** `pinned`/`updated`: written (or would be, with --dry-run); `unchanged`: already so; `refused`: see `problem`. */
  action: "pinned" | "updated" | "unchanged" | "refused";
  /** With `refused`: why the source was left as it was. */
  problem?: string;
  /** Refused because the repository or tag does not exist. */
  notFound?: true;
  /** The failed checks of a module that would not install with tofu init. */
  checks?: Check[];
}

/** One platform's hashes of a provider lock entry. */
export interface LockedPlatform {
  /** The platform, `os_arch`. */
  platform: string;
  /** The `zh:<hex>` hash: the release zip's SHA-256 (the layer digest). */
  zh: string;
  /** The `h1:<base64>` hash of the zip's contents (Go dirhash), as `tofu init` checks it. */
  h1: string;
  /** `annotation`: the h1: recorded on the manifest; `content`: computed from the downloaded zip. */
  h1From: "annotation" | "content";
  /** Neither hash of this platform was in the lock file before. */
  added: boolean;
}

/** `deps lock`: one provider of the configuration. */
export interface ProviderLockRecord {
  /** Always `provider-lock`. */
  kind: "provider-lock";
  /** `HOSTNAME/NAMESPACE/TYPE`. */
  provider: string;
  /**
   * `added`/`updated`/`unchanged`: the entry from the mirror; `kept`: not from an OCI mirror, left
   * as it was; `removed`: no longer required; `failed`: see `problem`.
   */
  action: "added" | "updated" | "unchanged" | "kept" | "removed" | "failed";
  /** The version locked, chosen as `tofu init` would (the locked one while the constraints allow it). */
  version?: string;
  /** The configuration's version constraints for the provider, combined, as the lock file writes them. */
  constraints?: string;
  /** The mirror repository the version came from, `HOST/REPO:TAG`. */
  reference?: string;
  /** The hashes of each platform requested (`--platform`), absent when failed or kept. */
  platforms?: LockedPlatform[];
  /** Hashes in the entry. */
  hashes?: number;
  /** With `failed`: why the entry could not be made; the lock file keeps the old entry. */
  problem?: string;
  /** Failed because the mirror has no such repository, version or platform. */
  notFound?: true;
  /** The failed checks of a mirrored version that `tofu init` would reject. */
  checks?: Check[];
}

/** `deps lock`: the lock file. */
export interface LockFileRecord {
  /** Always `lock-file`. */
  kind: "lock-file";
  /** The lock file, `.terraform.lock.hcl` in the configuration directory. */
  file: string;
  /** The file was written (or would be, with --dry-run). */
  changed: boolean;
  /** How many provider entries the file holds after the run. */
  providers: number;
}
