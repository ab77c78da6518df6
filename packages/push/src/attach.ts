import {
  formatLocator,
  parseLocator,
  pushGraph,
  referrerGraph,
  selectorOf,
  transferFields,
  usageError,
  type Locator,
  type ReferrerRecord,
  type Target,
  type TransferHooks,
} from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { assertAnnotations } from "./annotations.js";
import { openDestination, type Destination } from "./destination.js";
import { readAttachment } from "./sbom.js";

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
  /** `subject` is in an OCI image layout directory. Default false. */
  ociLayout?: boolean;
  /** Registry client settings (TLS, credentials, retries). */
  clientOptions?: RegistryClientOptions;
  /** Attach within this target instead of opening SUBJECT's repository. */
  target?: Target;
  /** Progress of every blob and manifest (core's copy hooks). */
  hooks?: TransferHooks;
}

/**
 * Attaches a file to an existing artifact as a referrer (ORAS attach): uploads the file and a
 * manifest whose `subject` is the artifact. Registries with the referrers API list it there;
 * for the others the referrers tag schema index is updated.
 * @throws TofuOciError: "usage" without a tag or digest, "invalid-input" for the file, "not-found" for the subject.
 */
export async function attach(
  options: AttachOptions,
  ctx: { cwd?: string; signal?: AbortSignal } = {},
): Promise<ReferrerRecord> {
  const { locator, selector } = subjectOf(options.subject, options.ociLayout ?? false, ctx.cwd);
  const attachment = await readAttachment(options.file, options.artifactType);
  const annotations = assertAnnotations(options.annotations);
  const destination: Destination = options.target
    ? { ...locator, target: options.target }
    : await openDestination(locator, options.clientOptions);
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  try {
    const subject = await destination.target.resolve(selector, signal);
    const pushed = await pushGraph(destination.target, referrerGraph(subject, attachment, annotations), [], {
      ...options.hooks,
      ...signal,
    });
    return {
      kind: "referrer",
      reference: formatLocator(destination, { digest: pushed.descriptor.digest }),
      registry: destination.registry,
      repository: destination.repository,
      digest: pushed.descriptor.digest,
      mediaType: pushed.descriptor.mediaType,
      artifactType: attachment.artifactType,
      subject: subject.digest,
      file: attachment.file,
      ...transferFields(pushed),
    };
  } finally {
    await destination.client?.close();
  }
}

/** The repository (or layout) of SUBJECT and the tag or digest that selects the artifact. */
function subjectOf(
  subject: string,
  ociLayout: boolean,
  cwd: string | undefined,
): { locator: Locator; selector: string } {
  const locator = parseLocator(subject, { ociLayout, ...(cwd ? { cwd } : {}) });
  const selector = selectorOf(locator);
  if (!selector)
    throw usageError(
      `the subject "${subject}" names no tag or digest`,
      "Name the artifact to attach to, e.g. HOST/REPO:1.0.0 or HOST/REPO@sha256:....",
    );
  return { locator, selector };
}
