import { openLocator, parseLocator, usageError, type Locator, type Target } from "@tofu-oci/core";
import type { RegistryClient, RegistryClientOptions } from "@tofu-oci/core/remote";

/** An opened destination. */
export interface Destination extends Locator {
  target: Target;
  /** The registry client to close when done; absent for layouts and given targets. */
  client?: RegistryClient;
}

/**
 * Parses REF (docs/contract/design.md §2.1): `HOST/REPO[:TAG]`, `oci://HOST/REPO[//SUBDIR][?tag=TAG]`, or with
 * `ociLayout` `PATH[:TAG]`. A digest is refused: a push creates the digest.
 * @throws TofuOciError "usage" (exit 2).
 */
export function parseDestination(reference: string, options: { ociLayout?: boolean; cwd?: string } = {}): Locator {
  const locator = parseLocator(reference, options);
  if (locator.digest) {
    throw usageError(
      `cannot push to a digest ("${reference}")`,
      "Name a repository and optionally a tag: HOST/REPO:TAG; the digest is computed from what is pushed.",
    );
  }
  return locator;
}

/** Opens the registry repository or (creating it when missing) the OCI layout. */
export async function openDestination(
  locator: Locator,
  clientOptions: RegistryClientOptions = {},
): Promise<Destination> {
  const { target, client } = await openLocator(locator, { create: true, clientOptions });
  return client ? { ...locator, target, client } : { ...locator, target };
}
