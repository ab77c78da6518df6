import { statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import type { Readable } from "node:stream";
import {
  invalidInput,
  isModuleSourceAddress,
  isTofuOciError,
  parseLocator,
  parseReference,
  readInputRecords,
  type AnyRecord,
  type Locator,
} from "@tofu-oci/core";
import { moduleSourceAsOpenTofu, versionToTag } from "@tofu-oci/opentofu";

/** One thing to verify. */
export interface VerifyInput {
  /** The reference as the user (or the record) gave it; the record's `reference`. */
  reference: string;
  location: Locator;
  /** The artifact type, when the input says it. */
  type?: "module" | "provider";
  /** A provider tag written with `+`, which no OCI tag can hold. */
  plusTag?: string;
  /** What tofu-oci-push recorded, for records on stdin. */
  pushed?: { digest?: string; provider?: string; version?: string };
  /** Something in the address OpenTofu reads other than it looks (a query it drops). */
  addressWarning?: string;
}

/**
 * Parses a REF in any form of docs/contract/design.md §2.1. A tag with `+` (a provider version with build
 * metadata) is kept aside so the verification can say which tag OpenTofu looks for instead.
 * @throws TofuOciError "usage" for anything else that is not a reference.
 */
export function inputFromReference(
  reference: string,
  options: { ociLayout?: boolean; cwd?: string } = {},
): VerifyInput {
  try {
    const location = parseLocator(reference, options);
    const addressWarning = options.ociLayout ? undefined : droppedQueryWarning(reference);
    return addressWarning ? { reference, location, addressWarning } : { reference, location };
  } catch (error) {
    const plus = /[:=]([\w.+-]*\+[\w.+-]*)$/.exec(reference)?.[1];
    if (!plus || !isTofuOciError(error) || error.code !== "usage") throw error;
    const location = parseLocator(reference.slice(0, reference.length - plus.length) + versionToTag(plus), options);
    return { reference, location, type: "provider", plusTag: plus };
  }
}

/**
 * Go's `url.ParseQuery` drops a pair with `;` or a bad escape, and OpenTofu never says so
 * (docs/contract/opentofu-rules.md §1): `?tag=1.0;x` installs `latest`.
 */
function droppedQueryWarning(reference: string): string | undefined {
  if (!isModuleSourceAddress(reference)) return undefined;
  const outcome = moduleSourceAsOpenTofu(reference);
  if (outcome.kind !== "oci" || outcome.droppedQuery === undefined) return undefined;
  const selected = outcome.digest ? `the digest ${outcome.digest}` : `the tag ${outcome.tag}`;
  return `Go's net/url drops the part of the query it cannot read (${outcome.droppedQuery}) and OpenTofu ignores that, so it installs ${selected}; fix the query`;
}

/**
 * Reads tofu-oci-push artifact records from stdin, one input each: modules by their OpenTofu
 * `source` (which carries //subdir and the digest), providers by `registry/repository:tag`
 * (OpenTofu finds provider versions by tag). Records from a push to a layout (`registry` "")
 * are layout inputs. Records of other kinds go to `onOtherRecord` (to pass on); an upstream
 * error record ends the read with that command's failure.
 * @throws TofuOciError "invalid-input" (exit 6) for a malformed record; the upstream failure.
 */
export async function inputsFromRecords(
  stream: Readable,
  options: { cwd?: string; onOtherRecord?: ((record: AnyRecord) => void) | undefined } = {},
): Promise<VerifyInput[]> {
  const inputs: VerifyInput[] = [];
  for await (const record of readInputRecords(stream, { kinds: ["artifact"], onOther: options.onOtherRecord }))
    inputs.push(inputFromRecord(record, options));
  if (inputs.length === 0)
    throw invalidInput("no artifact records on stdin", "Give a REF, or pipe the output of tofu-oci-push.");
  return inputs;
}

function inputFromRecord(record: AnyRecord, options: { cwd?: string }): VerifyInput {
  const type = record.type === "module" || record.type === "provider" ? record.type : undefined;
  const [registry, repository, reference] = [
    text(record, "registry"),
    text(record, "repository"),
    text(record, "reference"),
  ];
  if (!type || registry === undefined || !repository || !reference) {
    throw invalidInput(
      `an artifact record lacks type, registry, repository or reference: ${JSON.stringify(record).slice(0, 120)}`,
      "Pipe records from tofu-oci-push unchanged.",
    );
  }
  const bundled = registry === "" ? bundledSource(record, resolvePath(options.cwd ?? ".", repository)) : undefined;
  if (bundled) return { ...inputFromReference(bundled), type, pushed: pushedFields(record) };
  const layout = registry === "";
  const tag = text(record, "tag");
  const source = text(record, "source");
  const chosen =
    type === "provider" && tag
      ? `${layout ? repository : `${registry}/${repository}`}:${tag}`
      : !layout && source?.startsWith("oci://")
        ? source
        : reference;
  const input = inputFromReference(chosen, { ociLayout: layout, cwd: options.cwd ?? "." });
  return { ...input, type, pushed: pushedFields(record) };
}

/**
 * An artifact that `mirror export` wrote into a bundle tar, which verify does not open: it is
 * checked at the registry it came from (`from`), by its digest, so the bytes are the bundle's.
 */
function bundledSource(record: AnyRecord, path: string): string | undefined {
  const from = text(record, "from");
  const digest = text(record, "digest");
  if (!from || !digest || !statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
  const { registry, repository } = parseReference(from);
  return `${registry}/${repository}@${digest}`;
}

function pushedFields(record: AnyRecord): NonNullable<VerifyInput["pushed"]> {
  const fields = {
    digest: text(record, "digest"),
    provider: text(record, "provider"),
    version: text(record, "version"),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as NonNullable<
    VerifyInput["pushed"]
  >;
}

function text(record: AnyRecord, field: string): string | undefined {
  const value = record[field];
  return typeof value === "string" ? value : undefined;
}

/** The tag or digest to resolve: the reference's, else `latest` (OpenTofu's module default). */
export function selectorToResolve(location: Locator): string {
  return location.digest ?? location.tag ?? "latest";
}
