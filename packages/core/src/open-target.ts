import { parseLayoutReference, parseReference, type LayoutReference, type Reference } from "./reference.js";
import type { RegistryClient, RegistryClientOptions } from "./remote/registry-client.js";
import type { Target } from "./target.js";

/** How `openTarget` reads a reference and connects. */
export interface OpenTargetOptions {
  /** The input is `PATH[:TAG|@DIGEST]` of an OCI image layout. Default false. */
  ociLayout?: boolean;
  /** Create a missing layout (for writers). Default false. */
  create?: boolean;
  /** Reuse this client (and its connections and tokens) for registry references. */
  client?: RegistryClient;
  /** Options for a new client when none is given. */
  clientOptions?: RegistryClientOptions;
}

/** The registry repository or OCI layout a reference named, with the parsed reference. */
export type OpenedTarget =
  | { kind: "remote"; target: Target; reference: Reference; client: RegistryClient }
  | { kind: "layout"; target: Target; reference: LayoutReference };

/**
 * Opens the repository or layout a user reference names. The target modules are loaded on
 * demand, so commands that never touch a registry do not pay for undici at start-up.
 */
export async function openTarget(input: string, options: OpenTargetOptions = {}): Promise<OpenedTarget> {
  if (options.ociLayout) {
    const reference = parseLayoutReference(input);
    const { OciLayout } = await import("./layout/oci-layout.js");
    return { kind: "layout", target: await OciLayout.open(reference.path, { create: options.create ?? false }), reference };
  }
  const reference = parseReference(input);
  const { RegistryClient } = await import("./remote/registry-client.js");
  const { RemoteRepository } = await import("./remote/remote-repository.js");
  const client = options.client ?? new RegistryClient(options.clientOptions);
  return { kind: "remote", target: new RemoteRepository(client, reference.registry, reference.repository), reference, client };
}

/** The tag or digest a reference selects, if any. */
export function selectorOf(reference: Reference | LayoutReference): string | undefined {
  return reference.digest ?? reference.tag;
}
