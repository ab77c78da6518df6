import { TofuOciError } from "@tofu-oci/core";
import { statusError, type SourceHttp } from "./source-http.js";

const DISCOVERY_LIMIT = 1024 * 1024;

/**
 * Finds a host's Provider Registry Protocol base URL through service discovery
 * (`/.well-known/terraform.json`, key `providers.v1`), resolved against the final discovery URL
 * as OpenTofu's svchost/disco does. Like OpenTofu, no `/` is appended: endpoints are
 * resolved against it by RFC 3986 rules, so registries publish it with a trailing slash.
 * @throws TofuOciError "not-found" when the host offers no provider registry.
 */
export async function discoverProvidersApi(http: SourceHttp, hostname: string): Promise<URL> {
  const discoveryUrl = new URL(".well-known/terraform.json", http.origin(hostname));
  const response = await http.api(discoveryUrl, DISCOVERY_LIMIT, `service discovery for ${hostname}`);
  if (response.status === 404) throw noProviderRegistry(hostname, "it has no /.well-known/terraform.json");
  if (response.status !== 200) throw await statusError(response, `service discovery for ${hostname}`);
  const services = parseJsonObject(response.body, `the service discovery document of ${hostname}`);
  const raw = services["providers.v1"];
  if (raw === undefined) throw noProviderRegistry(hostname, 'its discovery document has no "providers.v1"');
  if (typeof raw !== "string") throw invalidResponse(`"providers.v1" of ${hostname} is not a string`);
  return providersBase(raw, response.url, hostname);
}

function providersBase(raw: string, discoveredAt: URL, hostname: string): URL {
  let base: URL;
  try {
    base = new URL(raw, discoveredAt);
  } catch {
    throw invalidResponse(`"providers.v1" of ${hostname} is not a URL: ${raw}`);
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") throw invalidResponse(`"providers.v1" of ${hostname} must be an http(s) URL: ${raw}`);
  if (base.username || base.password) throw invalidResponse(`"providers.v1" of ${hostname} must not contain credentials`);
  base.hash = "";
  return base;
}

/** Parses a JSON object from a registry response, or throws a registry-failure error. */
export function parseJsonObject(body: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw invalidResponse(`${what} is not valid JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidResponse(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** A provider registry answered something OpenTofu would not accept (exit 5). */
export function invalidResponse(message: string): TofuOciError {
  return new TofuOciError("network", `invalid registry response: ${message}`, { hint: "The provider registry does not follow the Provider Registry Protocol." });
}

function noProviderRegistry(hostname: string, why: string): TofuOciError {
  return new TofuOciError("not-found", `${hostname} is not a provider registry: ${why}`, {
    hint: "Check the host part of the provider address; without one, registry.opentofu.org is used.",
  });
}
