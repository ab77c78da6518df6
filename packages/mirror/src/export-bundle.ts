import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  copyGraph,
  fetchManifest,
  formatLocator,
  usageError,
  type Descriptor,
  type Locator,
  type TransferHooks,
} from "@tofu-oci/core";
import type { RegistryClient, RegistryClientOptions } from "@tofu-oci/core/remote";
import { artifactRecord, type MirroredArtifactRecord } from "./artifact-record.js";
import { BundleWriter } from "./bundle/bundle-writer.js";
import { openShared, parseCopyLocator, signalOf, withRegistryClient, type MirrorContext } from "./mirror-context.js";
import { ReferrerSummaries } from "./referrer-summary.js";

/** Options of {@link exportBundle}. */
export interface ExportBundleOptions {
  /** The artifacts: `HOST/REPO:TAG` or `HOST/REPO@DIGEST` each. */
  references: readonly string[];
  /** The tar file to write; replaced only when the export succeeded. */
  output: string;
  /** Also carry referrers (SBOMs, signatures). Default true. */
  recursive?: boolean;
  /** Registry client settings (TLS, credentials, plain http) of the sources. */
  clientOptions?: RegistryClientOptions;
  /** Download progress callbacks (core's copy hooks). Default: none. */
  hooks?: TransferHooks;
}

/** The record of the written bundle, last on stdout: its digest lets the far side check the carried file. */
export interface BundleRecord {
  /** Always `bundle`. */
  kind: "bundle";
  /** The tar file written (the `output` option). */
  file: string;
  /** The tar file's SHA-256, `sha256:...`. */
  digest: string;
  /** The tar file's size in bytes. */
  size: number;
  /** How many artifacts (references) the bundle holds. */
  artifacts: number;
  /** Blobs and manifests in the bundle. */
  blobs: number;
}

/**
 * Writes the artifacts (and their referrers) as a tar of an OCI image layout, for carrying
 * across an air gap. Blobs stream from the registry into the tar, each once; the tar goes to a
 * temp file renamed to `output` at the end. Returns a record per artifact, then the bundle's.
 * @throws TofuOciError with the exit code of docs/contract/design.md §2.2.
 */
export async function exportBundle(
  options: ExportBundleOptions,
  ctx: MirrorContext = {},
): Promise<Array<MirroredArtifactRecord | BundleRecord>> {
  const sources = options.references.map(parseSource);
  if (sources.length === 0)
    throw usageError("name at least one artifact to export", "e.g. tofu-oci-mirror export HOST/REPO:TAG -o bundle.tar");
  const output = resolve(ctx.cwd ?? ".", options.output);
  await assertWritable(output);
  return withRegistryClient(options.clientOptions, async (client) => {
    const writer = await BundleWriter.create(output);
    try {
      const records: Array<MirroredArtifactRecord | BundleRecord> = [];
      for (const source of sources) records.push(await exportOne(client, writer, source, output, options, ctx));
      const tar = await writer.finish();
      records.push({
        kind: "bundle",
        file: output,
        digest: tar.digest,
        size: tar.size,
        artifacts: sources.length,
        blobs: writer.blobs,
      });
      return records;
    } catch (error) {
      await writer.abort();
      throw error;
    }
  });
}

function parseSource(reference: string): Locator {
  const source = parseCopyLocator(reference);
  if (!source.tag && !source.digest)
    throw usageError(`"${reference}" names no tag or digest`, "Export names exact artifacts: add :TAG or @sha256:...");
  return source;
}

/** The output's directory must exist and the output must not be a directory. */
async function assertWritable(output: string): Promise<void> {
  const parent = await stat(dirname(output)).catch(() => undefined);
  if (!parent?.isDirectory()) throw usageError(`cannot write ${output}: ${dirname(output)} is not a directory`);
  if ((await stat(output).catch(() => undefined))?.isDirectory())
    throw usageError(`cannot write ${output}: it is a directory`, "Give -o a file name such as bundle.tar.");
}

async function exportOne(
  client: RegistryClient,
  writer: BundleWriter,
  source: Locator,
  output: string,
  options: ExportBundleOptions,
  ctx: MirrorContext,
): Promise<MirroredArtifactRecord> {
  const src = await openShared(source, { client });
  const referrers = new ReferrerSummaries();
  const root: Descriptor = await src.resolve((source.digest ?? source.tag)!, signalOf(ctx));
  const { manifest } = await fetchManifest(src, root, signalOf(ctx));
  // One blob at a time: the tar is written in order.
  const copied = await copyGraph(src, writer, root, {
    concurrency: 1,
    referrers: options.recursive ?? true,
    ...options.hooks,
    onReferrers: referrers.onReferrers,
    ...signalOf(ctx),
  });
  writer.nameArtifact(root, { tag: source.tag, fullName: formatLocator(source) });
  const destination: Locator = { kind: "layout", registry: "", repository: output };
  return artifactRecord({
    from: formatLocator(source),
    sourceDigest: root.digest,
    descriptor: root,
    manifest,
    destination,
    tag: source.tag,
    counts: copied,
    referrers: referrers.list(),
  });
}
