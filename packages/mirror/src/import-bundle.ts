import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { copyGraph, fetchManifest, usageError, type Target, type TransferHooks } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { artifactRecord, type MirroredArtifactRecord } from "./artifact-record.js";
import { bundleArtifacts } from "./bundle/bundle-contents.js";
import { extractBundle } from "./bundle/bundle-reader.js";
import { parseImportTo, planImport, type ImportPlan } from "./bundle/import-destination.js";
import { openShared, signalOf, withRegistryClient, type MirrorContext } from "./mirror-context.js";
import { ReferrerSummaries } from "./referrer-summary.js";

/** Options of {@link importBundle}. */
export interface ImportBundleOptions {
  /** A tar made by `exportBundle` (or any tar of an OCI image layout). */
  bundle: string;
  /** `HOST/REPO[:TAG]`, or a template with `${registry}`, `${repository}`, `${name}`. */
  to: string;
  /** Blob uploads at once. Default 4. */
  concurrency?: number;
  /** Registry client settings (TLS, credentials, plain http) of the destination. */
  clientOptions?: RegistryClientOptions;
  /** Upload progress callbacks (core's copy hooks). Default: none. */
  hooks?: TransferHooks;
  /** Where to unpack the bundle before pushing. Default: the system temp directory. */
  stagingParent?: string;
}

/**
 * Pushes a bundle's artifacts and referrers to registries. The bundle is unpacked and every
 * blob's digest and every manifest's completeness is checked before the first request; tags
 * are set only after everything was pushed, so a failure leaves nothing tagged.
 * @throws TofuOciError with the exit code of docs/contract/design.md §2.2 (1 for a damaged bundle).
 */
export async function importBundle(
  options: ImportBundleOptions,
  ctx: MirrorContext = {},
): Promise<MirroredArtifactRecord[]> {
  const to = parseImportTo(options.to);
  const file = resolve(ctx.cwd ?? ".", options.bundle);
  if (!(await stat(file).catch(() => undefined))?.isFile()) throw usageError(`the bundle ${file} is not a file`);
  const staging = await mkdtemp(join(options.stagingParent ?? tmpdir(), "tofu-oci-import-"));
  try {
    const bundle = await extractBundle(file, staging);
    const plans = planImport(to, await bundleArtifacts(bundle, file), file);
    return await withRegistryClient(options.clientOptions, async (client) => {
      const layout = await openShared({ kind: "layout", registry: "", repository: staging }, { client });
      const pushed = [];
      for (const plan of plans)
        pushed.push(await pushArtifact(layout, await openShared(plan.destination, { client }), plan, options, ctx));
      for (const { plan, target } of pushed)
        if (plan.tag) await target.tag(plan.artifact.descriptor, plan.tag, signalOf(ctx));
      return pushed.map(({ record }) => record);
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Pushes one artifact and its referrers, untagged. */
async function pushArtifact(
  layout: Target,
  target: Target,
  plan: ImportPlan,
  options: ImportBundleOptions,
  ctx: MirrorContext,
) {
  const referrers = new ReferrerSummaries();
  const { descriptor } = plan.artifact;
  const copied = await copyGraph(layout, target, descriptor, {
    concurrency: options.concurrency ?? 4,
    referrers: true,
    ...options.hooks,
    onReferrers: referrers.onReferrers,
    ...signalOf(ctx),
  });
  const { manifest } = await fetchManifest(layout, descriptor, signalOf(ctx));
  const record = artifactRecord({
    from: plan.from,
    sourceDigest: descriptor.digest,
    descriptor: { ...descriptor, ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}) },
    manifest,
    destination: plan.destination,
    tag: plan.tag,
    counts: copied,
    referrers: referrers.list(),
  });
  return { plan, target, record };
}
