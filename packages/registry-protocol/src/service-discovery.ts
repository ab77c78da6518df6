import { TofuOciError } from "@tofu-oci/core";
import { statusError, type RegistryHttp } from "./registry-http.js";

const DISCOVERY_LIMIT = 1024 * 1024;

/**
 * Looks up one service of a host through OpenTofu's service discovery
 * (`/.well-known/terraform.json`, svchost/disco): the URL under `key` (e.g. `providers.v1`,
 * `modules.v1`), resolved against the final discovery URL, http(s) only, no credentials, no
 * fragment. `missing` makes the error for a host that does not offer the service.
 */
export async function discoverService(
  http: RegistryHttp,
  hostname: string,
  key: string,
  missing: (why: string) => TofuOciError,
): Promise<URL> {
  const what = `service discovery for ${hostname}`;
  const response = await http.api(new URL(".well-known/terraform.json", http.origin(hostname)), DISCOVERY_LIMIT, what);
  if (response.status === 404) throw missing("it has no /.well-known/terraform.json");
  if (response.status !== 200) throw await statusError(response, what);
  const raw = parseJsonObject(response.body, `the service discovery document of ${hostname}`)[key];
  if (raw === undefined) throw missing(`its discovery document has no "${key}"`);
  if (typeof raw !== "string") throw invalidResponse(`"${key}" of ${hostname} is not a string`);
  return serviceBase(raw, response.url, `"${key}" of ${hostname}`);
}

function serviceBase(raw: string, discoveredAt: URL, what: string): URL {
  let base: URL;
  try {
    base = new URL(raw, discoveredAt);
  } catch {
    throw invalidResponse(`${what} is not a URL: ${raw}`);
  }
  if (base.protocol !== "https:" && base.protocol !== "http:")
    throw invalidResponse(`${what} must be an http(s) URL: ${raw}`);
  if (base.username || base.password) throw invalidResponse(`${what} must not contain credentials`);
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
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalidResponse(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** A registry answered something OpenTofu would not accept (exit 5). */
export function invalidResponse(message: string): TofuOciError {
  return new TofuOciError("network", `invalid registry response: ${message}`, {
    hint: "The registry does not follow OpenTofu's registry protocols.",
  });
}
