import { TofuOciError } from "@tofu-oci/core";
import type { RegistryHttp } from "./registry-http.js";
import { discoverService } from "./service-discovery.js";

/**
 * Finds a host's Provider Registry Protocol base URL (`providers.v1`, internal/getproviders/
 * registry_source.go). Like OpenTofu, no `/` is
 * appended: endpoints are resolved against it by RFC 3986 rules, so registries publish it with
 * a trailing slash.
 * @throws TofuOciError "not-found" when the host offers no provider registry.
 */
export function discoverProvidersApi(http: RegistryHttp, hostname: string): Promise<URL> {
  return discoverService(http, hostname, "providers.v1", (why) => noProviderRegistry(hostname, why));
}

function noProviderRegistry(hostname: string, why: string): TofuOciError {
  return new TofuOciError("not-found", `${hostname} is not a provider registry: ${why}`, {
    hint: "Check the host part of the provider address; without one, registry.opentofu.org is used.",
  });
}
