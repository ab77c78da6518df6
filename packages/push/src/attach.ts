import { formatLocator, parseLocator, selectorOf, usageError, type Locator, type Target } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { assertAnnotations } from "./annotations.js";
import { transferFields, type ReferrerRecord } from "./artifact-records.js";
import { openDestination, type Destination } from "./destination.js";
import { attachTo } from "./referrer.js";
import { readAttachment } from "./sbom.js";
import { Uploader, type TransferHooks } from "./uploader.js";

/** What to attach to which subject, and where it lives. */
export interface AttachOptions {
  /** The artifact to attach to: `HOST/REPO:TAG`, `HOST/REPO@DIGEST`, `oci://...`, or a layout `PATH:TAG`. */
  subject: string;
  /** The file to attach. SPDX and CycloneDX JSON are recognized from their content. */
  file: string;
  /** The referrer's artifactType; required unless the file is an SBOM. */
  artifactType?: string;
  /** Annotations of the referrer manifest. */
  annotations?: Record<string, string>;
  ociLayout?: boolean;
  clientOptions?: RegistryClientOptions;
  /** Attach within this target instead of opening SUBJECT's repository. */
  target?: Target;
  hooks?: TransferHooks;
}

/**
 * Attaches a file to an existing artifact as a referrer (ORAS attach): uploads the file and a
 * manifest whose `subject` is the artifact. Registries with the referrers API list it there;
 * for the others the referrers tag schema index is updated.
 * @throws TofuOciError: "usage" without a tag or digest, "invalid-input" for the file, "not-found" for the subject.
 */
export async function attach(options: AttachOptions, ctx: { cwd?: string; signal?: AbortSignal } = {}): Promise<ReferrerRecord> {
  const ref = subjectRef(options.subject, options.ociLayout ?? false, ctx.cwd);
  const attachment = await readAttachment(options.file, options.artifactType);
  const annotations = assertAnnotations(options.annotations);
  const destination: Destination = options.target ? { ...ref.destination, target: options.target } : await openDestination(ref.destination, options.clientOptions);
  try {
    const subject = await destination.target.resolve(ref.selector, ctx.signal ? { signal: ctx.signal } : {});
    const uploader = new Uploader(destination.target, { ...(options.hooks ? { hooks: options.hooks } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const { manifest } = await attachTo(uploader, subject, attachment, annotations);
    return {
      kind: "referrer",
      reference: formatLocator(destination, { digest: manifest.descriptor.digest }),
      registry: destination.registry,
      repository: destination.repository,
      digest: manifest.descriptor.digest,
      mediaType: manifest.descriptor.mediaType,
      artifactType: attachment.artifactType,
      subject: subject.digest,
      file: attachment.file,
      ...transferFields(uploader.stats),
    };
  } finally {
    await destination.client?.close();
  }
}

/** The repository (or layout) of SUBJECT and the tag or digest that selects the artifact. */
function subjectRef(subject: string, ociLayout: boolean, cwd: string | undefined): { destination: Locator; selector: string } {
  const ref = parseLocator(subject, { ociLayout, ...(cwd ? { cwd } : {}) });
  const selector = selectorOf(ref);
  if (!selector) throw usageError(`the subject "${subject}" names no tag or digest`, "Name the artifact to attach to, e.g. HOST/REPO:1.0.0 or HOST/REPO@sha256:....");
  return { destination: ref, selector };
}
