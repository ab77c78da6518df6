import { TofuOciError } from "@tofu-oci/core";
import { downloadHost, parsePackageAddress } from "./package-address.js";
import type { ModuleLocation } from "@tofu-oci/registry-protocol";

/**
 * The host a module version's package comes from, checked before anything is fetched: with an
 * allow-list (`--allow-download-host`, repeatable) only the registry's own host and the hosts
 * listed may serve packages; without one any remote host may, and a host that is not the
 * registry's is returned so the caller can say so.
 * @returns the download host when it is not the registry's, else undefined.
 * @throws TofuOciError "invalid-input" (exit 6) for a host the allow-list does not name, and for
 * addresses that cannot be mirrored at all (see parsePackageAddress).
 */
export function checkDownloadHost(
  location: ModuleLocation,
  registryHost: string,
  allowed: readonly string[],
): string | undefined {
  const host = location.kind === "direct" ? location.url.host : downloadHost(parsePackageAddress(location.address));
  const own = host.toLowerCase() === registryHost.toLowerCase();
  if (own) return undefined;
  if (allowed.length > 0 && !allowed.some((name) => name.toLowerCase() === host.toLowerCase())) {
    const where = location.kind === "direct" ? location.url.href : location.address;
    throw new TofuOciError(
      "invalid-input",
      `refusing to download the package at "${where}": ${host} is neither the registry ${registryHost} nor an allowed download host`,
      {
        hint: `Add --allow-download-host ${host} if you trust it.`,
      },
    );
  }
  return host;
}
