import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { invalidInput } from "./errors.js";
import { countsOf, NO_TRANSFER, type TransferCounts } from "./transfer.js";
import { quoteLine } from "./record-line.js";

/** A module zip made by tofu-oci-pack (docs/contract/design.md §2.2). */
export interface ModulePackageRecord {
  /** Always `package`. */
  kind: "package";
  /** Always `module`. */
  type: "module";
  /** The zip written, an absolute path. */
  file: string;
  /** The zip's SHA-256, `sha256:<hex>`. */
  digest: string;
  /** The zip's size in bytes. */
  size: number;
  /** The layer media type OpenTofu requires of a module zip (docs/contract/provider-protocol.md). */
  mediaType: "archive/zip";
  /** How many files the zip holds (directories not counted). */
  files: number;
  /** The module directory that was packed, an absolute path. */
  source?: string;
}

/** One platform's release zip in a provider package record. */
export interface ProviderPlatformPackage {
  /** The platform's operating system, from the zip name, e.g. `linux`. */
  os: string;
  /** The platform's architecture, from the zip name, e.g. `amd64`. */
  arch: string;
  /** The release zip, `terraform-provider-TYPE_VERSION_OS_ARCH.zip`, an absolute path. */
  file: string;
  /** The zip's SHA-256, `sha256:<hex>`. */
  digest: string;
  /** The zip's size in bytes. */
  size: number;
  /** The lock-file `h1:` hash of the zip's contents. */
  h1?: string;
}

/** A provider version's release zips, collected by tofu-oci-pack. */
export interface ProviderPackageRecord {
  /** Always `package`. */
  kind: "package";
  /** Always `provider`. */
  type: "provider";
  /** The provider, `HOST/NAMESPACE/TYPE` fully qualified (OpenTofu's address rules). */
  provider: string;
  /** The provider version (semver, no leading `v`), as in the zip names. */
  version: string;
  /** One entry per release zip, sorted by platform. */
  platforms: ProviderPlatformPackage[];
}

/** What `tofu-oci-pack` prints: a module or a provider package. */
export type PackageRecord = ModulePackageRecord | ProviderPackageRecord;

/**
 * How much a push or copy had to send: the same fields in the records of push, mirror copy,
 * export, import, modules and providers (see {@link TransferCounts}).
 */
export interface TransferFields extends TransferCounts {
  /** True when nothing was sent or mounted: everything, tags included, was already there. */
  unchanged: boolean;
}

/** The transfer fields of a transfer's counts. */
export function transferFields(counts: TransferCounts): TransferFields {
  const { blobsCopied, blobsMounted, manifestsCopied } = counts;
  return { unchanged: blobsCopied + blobsMounted + manifestsCopied === 0, ...countsOf(counts) };
}

/** The transfer fields of an artifact that was already there, whole, and not looked at again. */
export const NOTHING_TRANSFERRED: Readonly<TransferFields> = Object.freeze(transferFields(NO_TRANSFER));

/** What tofu-oci-push stored. `source` is what to paste into OpenTofu. */
export interface ArtifactRecord {
  /** Always `artifact`. */
  kind: "artifact";
  /** Whether the artifact is a module zip or a provider version index. */
  type: "module" | "provider";
  /** `HOST/REPO:TAG`, or `HOST/REPO@DIGEST` without a tag; a layout path for OCI layouts. */
  reference: string;
  /** The registry host (with port), or empty for an OCI image layout. */
  registry: string;
  /** The repository path in the registry, or the layout directory. */
  repository: string;
  /** The first tag pushed; absent when pushed by digest only. */
  tag?: string;
  /** The manifest's digest, `sha256:<hex>`. */
  digest: string;
  /** The manifest's media type (image manifest for a module, image index for a provider). */
  mediaType: string;
  /** The OpenTofu artifact type, `application/vnd.opentofu.modulepkg` or `application/vnd.opentofu.provider`. */
  artifactType: string;
  /**
   * What to write in OpenTofu: a module's `source = "oci://HOST/REPO?digest=..."`, or a provider's `oci_mirror`
   * repository.
   */
  source: string;
  [extra: string]: unknown;
}

/** A file attached to an artifact as a referrer. */
export interface AttachedReferrer {
  /** The referrer manifest's digest, `sha256:<hex>`. */
  digest: string;
  /** The referrer's artifact type, e.g. `application/vnd.cyclonedx+json`. */
  artifactType: string;
  /** The local file that was attached. */
  file: string;
}

/** The record of a pushed module (docs/contract/design.md §2.2). `source` pins the digest. */
export interface ModuleArtifactRecord extends ArtifactRecord, TransferFields {
  /** Always `module`. */
  type: "module";
  /** Every tag pushed, in the order given. */
  tags: string[];
  /** The module zip's size in bytes. */
  size: number;
  /** The same module by its first tag: `oci://HOST/REPO?tag=TAG`. */
  sourceByTag: string;
  /** Files attached to the manifest in the same push. */
  referrers: AttachedReferrer[];
}

/** One platform of a pushed provider version. */
export interface PushedPlatform {
  /** The platform's operating system, e.g. `linux`. */
  os: string;
  /** The platform's architecture, e.g. `amd64`. */
  arch: string;
  /** The platform manifest's digest. */
  digest: string;
  /** The release zip's digest; as `zh:<hex>` it is the lock-file hash. */
  layerDigest: string;
  /** The release zip's size in bytes. */
  size: number;
  /** The lock-file hash of the zip, `zh:<hex>` (the zip's SHA-256). */
  zh: string;
}

/** The record of a pushed provider version. `source` is the repository for `oci_mirror`. */
export interface ProviderArtifactRecord extends ArtifactRecord, TransferFields {
  /** Always `provider`. */
  type: "provider";
  /** The provider, `HOST/NAMESPACE/TYPE`. */
  provider: string;
  /** The provider version; OpenTofu looks it up as a tag with `+` written `_`. */
  version: string;
  /** Every tag pushed: the version and any extra ones. */
  tags: string[];
  /** One entry per platform manifest in the index. */
  platforms: PushedPlatform[];
  /** Files attached in the same push (e.g. SBOMs). */
  referrers: AttachedReferrer[];
  /** Set when --force replaced different content under the version tag. */
  replaced?: string;
}

/** The record of a file attached to an artifact (`tofu-oci-push attach`). */
export interface ReferrerRecord extends TransferFields {
  /** Always `referrer`. */
  kind: "referrer";
  /** `HOST/REPO@DIGEST` of the referrer manifest. */
  reference: string;
  /** The registry host (with port), or empty for an OCI image layout. */
  registry: string;
  /** The repository path, or the layout directory. */
  repository: string;
  /** The referrer manifest's digest, `sha256:<hex>`. */
  digest: string;
  /** The referrer manifest's media type (an OCI image manifest). */
  mediaType: string;
  /** The referrer's artifact type, e.g. `application/vnd.cyclonedx+json`. */
  artifactType: string;
  /** The digest of the artifact this one refers to. */
  subject: string;
  /** The local file that was attached. */
  file: string;
}

/** One named check of a verification record. */
export interface CheckResult {
  /** The check's stable name, e.g. `artifact-type` (the verify package lists them). */
  id: string;
  /** Whether the check passed. */
  ok: boolean;
  /** What was found; on failure, what is wrong and what to do. */
  message: string;
}

/** What `tofu-oci-verify` prints per artifact (docs/contract/design.md §2.2). */
export interface VerificationRecord {
  /** Always `verification`. */
  kind: "verification";
  /** True when every check passed; otherwise the command exits 1 (`verification-failed`). */
  ok: boolean;
  /** Whether a module or a provider was verified. */
  type: "module" | "provider";
  /** The artifact verified, as given. */
  reference: string;
  /** The manifest digest verified; absent when it could not be resolved. */
  digest?: string;
  /** Every check run, in order. */
  checks: CheckResult[];
  [extra: string]: unknown;
}

/** The record a failed command prints on stdout in JSON mode (docs/contract/design.md §2.2). */
export interface ErrorRecord {
  /** Always `error`. */
  kind: "error";
  /** The `TofuOciError` code, e.g. `not-found`; it decides the exit code. */
  code: string;
  /** What went wrong, secrets removed. */
  message: string;
  /** The artifact the error is about, when there is one. */
  reference?: string;
  /** What to do next. */
  hint?: string;
}

/** Any NDJSON record; each has a `kind`. */
export interface AnyRecord {
  /** The record kind, e.g. `artifact`; consumers switch on it. */
  kind: string;
  [field: string]: unknown;
}

/** Writes one record as a line of JSON. */
export function writeRecord(stream: Writable, record: object): void {
  stream.write(`${JSON.stringify(record)}\n`);
}

const MAX_LINE = 1024 * 1024;

/**
 * Reads NDJSON records from a stream, one object with a string `kind` per line; blank lines are
 * skipped. A malformed line is an exit-code-6 error naming its line number.
 */
export async function* readRecords(stream: Readable): AsyncIterable<AnyRecord> {
  let lineNumber = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === "") continue;
    if (line.length > MAX_LINE) throw invalidInput(`stdin line ${lineNumber} is longer than ${MAX_LINE} characters`);
    yield parseRecordLine(line, lineNumber);
  }
}

function parseRecordLine(line: string, lineNumber: number): AnyRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw invalidInput(
      `stdin line ${lineNumber} is not JSON: ${quoteLine(line, lineNumber)}`,
      "Pipe the output of another tofu-oci command, one JSON record per line.",
    );
  }
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    typeof (value as AnyRecord).kind !== "string"
  ) {
    throw invalidInput(`stdin line ${lineNumber} is not a record (a JSON object with "kind")`);
  }
  return value as AnyRecord;
}

/** Narrows records to the expected kinds, or throws naming what arrived instead. */
export function expectKind<K extends string>(
  record: AnyRecord,
  kinds: readonly K[],
  command: string,
): AnyRecord & { kind: K } {
  if ((kinds as readonly string[]).includes(record.kind)) return record as AnyRecord & { kind: K };
  throw invalidInput(`${command} reads ${kinds.join(" or ")} records on stdin, got a "${record.kind}" record`);
}
