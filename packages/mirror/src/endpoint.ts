import { resolve } from "node:path";
import { parseLayoutReference, parseReference, usageError, type Target } from "@tofu-oci/core";
import type { RegistryClient } from "@tofu-oci/core/remote";

/** One side of a transfer: a registry repository or an OCI image layout, with an optional tag or digest. */
export interface Endpoint {
  kind: "registry" | "layout";
  /** The registry host; empty for a layout. */
  registry: string;
  /** The repository, or the layout's absolute path. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Options of {@link parseEndpoint}. */
export interface ParseEndpointOptions {
  /** The input is `PATH[:TAG|@DIGEST]` of an OCI image layout. Default false. */
  ociLayout?: boolean;
  /** Base for a relative layout path. Default: the process's working directory. */
  cwd?: string;
}

/**
 * Parses a reference of design.md §2.1: `HOST/REPO[:TAG|@DIGEST]`, `oci://HOST/REPO[?tag=|?digest=]`
 * or, with `ociLayout`, `PATH[:TAG|@DIGEST]`.
 * @throws TofuOciError "usage" (exit 2).
 */
export function parseEndpoint(input: string, options: ParseEndpointOptions = {}): Endpoint {
  if (options.ociLayout) {
    const parsed = parseLayoutReference(input);
    const path = options.cwd ? resolve(options.cwd, parsed.path) : resolve(parsed.path);
    return selected({ kind: "layout", registry: "", repository: path }, parsed);
  }
  const parsed = parseReference(input);
  if (parsed.subdir) throw usageError(`"${input}" names a //subdirectory`, "Copy whole artifacts: leave out the //SUBDIR part.");
  return selected({ kind: "registry", registry: parsed.registry, repository: parsed.repository }, parsed);
}

/** `HOST/REPO` or the layout path. */
export function endpointName(endpoint: Endpoint): string {
  return endpoint.kind === "layout" ? endpoint.repository : `${endpoint.registry}/${endpoint.repository}`;
}

/** `HOST/REPO:TAG`, `HOST/REPO@DIGEST` (and the same for a layout path). */
export function formatEndpoint(endpoint: Endpoint, selector: { tag?: string | undefined; digest?: string | undefined } = endpoint): string {
  if (selector.digest) return `${endpointName(endpoint)}@${selector.digest}`;
  return selector.tag ? `${endpointName(endpoint)}:${selector.tag}` : endpointName(endpoint);
}

/** The same place without a tag or digest. */
export function repositoryOf(endpoint: Endpoint): Endpoint {
  return { kind: endpoint.kind, registry: endpoint.registry, repository: endpoint.repository };
}

/** Options of {@link openEndpoint}. */
export interface OpenEndpointOptions {
  /** Create a missing layout (destinations). Default false. */
  create?: boolean;
  /** The client for registry endpoints; one client lets blobs be mounted between repositories. */
  client: RegistryClient;
}

/** Opens the repository or layout. Target modules load on demand, keeping --help fast. */
export async function openEndpoint(endpoint: Endpoint, options: OpenEndpointOptions): Promise<Target> {
  if (endpoint.kind === "layout") {
    const { OciLayout } = await import("@tofu-oci/core/layout");
    return OciLayout.open(endpoint.repository, { create: options.create ?? false });
  }
  const { RemoteRepository } = await import("@tofu-oci/core/remote");
  return new RemoteRepository(options.client, endpoint.registry, endpoint.repository);
}

function selected(endpoint: Endpoint, parsed: { tag?: string; digest?: string }): Endpoint {
  if (parsed.digest) endpoint.digest = parsed.digest;
  else if (parsed.tag) endpoint.tag = parsed.tag;
  return endpoint;
}
