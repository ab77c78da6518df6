import {
  formatReference,
  openTarget,
  parseLayoutReference,
  parseReference,
  usageError,
  type Target,
} from "@tofu-oci/core";
import type { RegistryClient, RegistryClientOptions } from "@tofu-oci/core/remote";
import { resolve } from "node:path";

/** Where a push goes, parsed from REF before anything is opened. */
export interface DestinationRef {
  kind: "registry" | "layout";
  /** Registry host; empty for a layout. */
  registry: string;
  /** Repository name, or the layout's absolute path. */
  repository: string;
  /** The tag REF names, if any. */
  tag?: string;
  /** The `//SUBDIR` of an `oci://` REF, kept in the module source strings. */
  subdir?: string;
}

/** An opened destination. */
export interface Destination extends DestinationRef {
  target: Target;
  /** The registry client to close when done; absent for layouts and given targets. */
  client?: RegistryClient;
}

/**
 * Parses REF (design.md §2.1): `HOST/REPO[:TAG]`, `oci://HOST/REPO[//SUBDIR][?tag=TAG]`, or with
 * `ociLayout` `PATH[:TAG]`. A digest is refused: a push creates the digest.
 * @throws TofuOciError "usage" (exit 2).
 */
export function parseDestination(reference: string, options: { ociLayout?: boolean; cwd?: string } = {}): DestinationRef {
  const { ref, digest } = parseSelected(reference, options);
  if (digest) {
    throw usageError(`cannot push to a digest ("${reference}")`, "Name a repository and optionally a tag: HOST/REPO:TAG; the digest is computed from what is pushed.");
  }
  return ref;
}

/** Parses a reference that may select a digest: the destination plus that digest. */
export function parseSelected(reference: string, options: { ociLayout?: boolean; cwd?: string } = {}): { ref: DestinationRef; digest?: string } {
  if (options.ociLayout) {
    const parsed = parseLayoutReference(reference);
    const path = options.cwd ? resolve(options.cwd, parsed.path) : resolve(parsed.path);
    return withDigest(withOptional({ kind: "layout", registry: "", repository: path }, parsed.tag, undefined), parsed.digest);
  }
  const parsed = parseReference(reference);
  return withDigest(withOptional({ kind: "registry", registry: parsed.registry, repository: parsed.repository }, parsed.tag, parsed.subdir), parsed.digest);
}

/** Opens the registry repository or (creating it when missing) the OCI layout. */
export async function openDestination(ref: DestinationRef, clientOptions: RegistryClientOptions = {}): Promise<Destination> {
  if (ref.kind === "layout") {
    const opened = await openTarget(ref.repository, { ociLayout: true, create: true });
    return { ...ref, target: opened.target };
  }
  const opened = await openTarget(`${ref.registry}/${ref.repository}`, { clientOptions });
  return opened.kind === "remote" ? { ...ref, target: opened.target, client: opened.client } : { ...ref, target: opened.target };
}

/** `HOST/REPO@DIGEST`, or `PATH@DIGEST` for a layout: names exactly what was pushed. */
export function pinnedReference(ref: DestinationRef, digest: string): string {
  return ref.kind === "layout" ? `${ref.repository}@${digest}` : `${ref.registry}/${ref.repository}@${digest}`;
}

/** The OpenTofu module source for a digest or a tag; for a layout the layout reference. */
export function moduleSource(ref: DestinationRef, selector: { digest: string } | { tag: string }): string {
  if (ref.kind === "layout") return "digest" in selector ? `${ref.repository}@${selector.digest}` : `${ref.repository}:${selector.tag}`;
  return formatReference({ registry: ref.registry, repository: ref.repository, ...(ref.subdir ? { subdir: ref.subdir } : {}), ...selector }, "opentofu");
}

function withOptional(ref: DestinationRef, tag: string | undefined, subdir: string | undefined): DestinationRef {
  if (tag !== undefined) ref.tag = tag;
  if (subdir !== undefined) ref.subdir = subdir;
  return ref;
}

function withDigest(ref: DestinationRef, digest: string | undefined): { ref: DestinationRef; digest?: string } {
  return digest ? { ref, digest } : { ref };
}
