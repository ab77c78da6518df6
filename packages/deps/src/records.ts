import type { Check } from "@tofu-oci/verify";

/** `deps outdated`: one `oci://` module source and what its repository offers. */
export interface ModuleSourceRecord {
  kind: "module-source";
  /** The file, relative to the configuration directory. */
  file: string;
  line: number;
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
  kind: "module-pin";
  file: string;
  line: number;
  module: string;
  /** The source before. */
  from: string;
  /** The source after (absent when refused). */
  to?: string;
  /** The tag the digest was taken from. */
  tag?: string;
  digest?: string;
  /** `pinned`/`updated`: written (or would be, with --dry-run); `unchanged`: already so; `refused`: see `problem`. */
  action: "pinned" | "updated" | "unchanged" | "refused";
  problem?: string;
  /** Refused because the repository or tag does not exist. */
  notFound?: true;
  /** The failed checks of a module that would not install with tofu init. */
  checks?: Check[];
}

/** One platform's hashes of a provider lock entry. */
export interface LockedPlatform {
  platform: string;
  zh: string;
  h1: string;
  /** `annotation`: the h1: recorded on the manifest; `content`: computed from the downloaded zip. */
  h1From: "annotation" | "content";
  /** Neither hash of this platform was in the lock file before. */
  added: boolean;
}

/** `deps lock`: one provider of the configuration. */
export interface ProviderLockRecord {
  kind: "provider-lock";
  /** `HOSTNAME/NAMESPACE/TYPE`. */
  provider: string;
  /**
   * `added`/`updated`/`unchanged`: the entry from the mirror; `kept`: not from an OCI mirror, left
   * as it was; `removed`: no longer required; `failed`: see `problem`.
   */
  action: "added" | "updated" | "unchanged" | "kept" | "removed" | "failed";
  version?: string;
  constraints?: string;
  /** The mirror repository the version came from, `HOST/REPO:TAG`. */
  reference?: string;
  platforms?: LockedPlatform[];
  /** Hashes in the entry. */
  hashes?: number;
  problem?: string;
  /** Failed because the mirror has no such repository, version or platform. */
  notFound?: true;
  checks?: Check[];
}

/** `deps lock`: the lock file. */
export interface LockFileRecord {
  kind: "lock-file";
  file: string;
  /** The file was written (or would be, with --dry-run). */
  changed: boolean;
  providers: number;
}
