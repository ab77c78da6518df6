import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { invalidInput } from "./errors.js";
import { countsOf, NO_TRANSFER, type TransferCounts } from "./transfer.js";
import { quoteLine } from "./record-line.js";

/** A module zip made by tofu-oci-pack (design.md §2.2). */
export interface ModulePackageRecord {
  kind: "package";
  type: "module";
  file: string;
  digest: string;
  size: number;
  mediaType: "archive/zip";
  files: number;
  source?: string;
}

/** One platform's release zip in a provider package record. */
export interface ProviderPlatformPackage {
  os: string;
  arch: string;
  file: string;
  digest: string;
  size: number;
  /** The lock-file `h1:` hash of the zip's contents. */
  h1?: string;
}

/** A provider version's release zips, collected by tofu-oci-pack. */
export interface ProviderPackageRecord {
  kind: "package";
  type: "provider";
  provider: string;
  version: string;
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
  kind: "artifact";
  type: "module" | "provider";
  reference: string;
  registry: string;
  repository: string;
  tag?: string;
  digest: string;
  mediaType: string;
  artifactType: string;
  source: string;
  [extra: string]: unknown;
}

/** A file attached to an artifact as a referrer. */
export interface AttachedReferrer {
  digest: string;
  artifactType: string;
  file: string;
}

/** The record of a pushed module (design.md §2.2). `source` pins the digest. */
export interface ModuleArtifactRecord extends ArtifactRecord, TransferFields {
  type: "module";
  tags: string[];
  size: number;
  /** The same module by its first tag: `oci://HOST/REPO?tag=TAG`. */
  sourceByTag: string;
  referrers: AttachedReferrer[];
}

/** One platform of a pushed provider version. */
export interface PushedPlatform {
  os: string;
  arch: string;
  /** The platform manifest's digest. */
  digest: string;
  /** The release zip's digest; as `zh:<hex>` it is the lock-file hash. */
  layerDigest: string;
  size: number;
  zh: string;
}

/** The record of a pushed provider version. `source` is the repository for `oci_mirror`. */
export interface ProviderArtifactRecord extends ArtifactRecord, TransferFields {
  type: "provider";
  provider: string;
  version: string;
  tags: string[];
  platforms: PushedPlatform[];
  referrers: AttachedReferrer[];
  /** Set when --force replaced different content under the version tag. */
  replaced?: string;
}

/** The record of a file attached to an artifact (`tofu-oci-push attach`). */
export interface ReferrerRecord extends TransferFields {
  kind: "referrer";
  reference: string;
  registry: string;
  repository: string;
  digest: string;
  mediaType: string;
  artifactType: string;
  /** The digest of the artifact this one refers to. */
  subject: string;
  file: string;
}

/** One named check of a verification record. */
export interface CheckResult {
  id: string;
  ok: boolean;
  message: string;
}

/** What `tofu-oci-verify` prints per artifact (design.md §2.2). */
export interface VerificationRecord {
  kind: "verification";
  ok: boolean;
  type: "module" | "provider";
  reference: string;
  digest?: string;
  checks: CheckResult[];
  [extra: string]: unknown;
}

/** The record a failed command prints on stdout in JSON mode (design.md §2.2). */
export interface ErrorRecord {
  kind: "error";
  code: string;
  message: string;
  reference?: string;
  hint?: string;
}

/** Any NDJSON record; each has a `kind`. */
export interface AnyRecord {
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
