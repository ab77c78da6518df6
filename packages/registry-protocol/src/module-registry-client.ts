import { TofuOciError } from "@tofu-oci/core";
import { header } from "@tofu-oci/core/remote";
import { formatModuleAddress, type ModuleAddress } from "@tofu-oci/opentofu";
import { statusError, type RegistryHttp } from "./registry-http.js";
import { discoverService, invalidResponse, parseJsonObject } from "./service-discovery.js";

const API_LIMIT = 1024 * 1024;

/** Where a module version's package is, as the registry's `download` endpoint says. */
export type ModuleLocation =
  /** A go-getter address (`X-Terraform-Get` or JSON `location`), relative paths resolved. */
  | { kind: "indirect"; address: string }
  /** OpenTofu 1.12+ direct hosting (`use_registry_credentials` present): an http(s) archive URL. */
  | { kind: "direct"; url: URL; useRegistryCredentials: boolean };

/**
 * The Module Registry Protocol client side (OpenTofu internal/registry/client.go): service
 * discovery of `modules.v1`, the `versions` list and each version's `download` location.
 */
export class ModuleRegistryClient {
  readonly #http: RegistryHttp;
  readonly #bases = new Map<string, Promise<URL>>();

  constructor(http: RegistryHttp) {
    this.#http = http;
  }

  /** Every version the registry lists for the module, as written there. */
  async versions(address: ModuleAddress): Promise<string[]> {
    const url = await this.#endpoint(address, "versions");
    const answer = await this.#http.api(url, API_LIMIT, `the versions of ${formatModuleAddress(address)}`);
    if (answer.status === 404)
      throw new TofuOciError("not-found", `module ${formatModuleAddress(address)} not found in ${address.hostname}`, {
        hint: "Check the namespace, name and target system.",
      });
    if (answer.status !== 200) throw await statusError(answer, `the versions of ${formatModuleAddress(address)}`);
    const body = parseJsonObject(answer.body, `the versions of ${formatModuleAddress(address)}`) as {
      modules?: Array<{ versions?: Array<{ version?: unknown }> }>;
    };
    const versions = body.modules?.[0]?.versions;
    if (!Array.isArray(versions))
      throw invalidResponse(`the versions of ${formatModuleAddress(address)} have no "modules[0].versions" list`);
    return versions.map((entry) => entry.version).filter((version): version is string => typeof version === "string");
  }

  /** The package location of one version: 204 + `X-Terraform-Get`, or 200 JSON `location`. */
  async location(address: ModuleAddress, version: string): Promise<ModuleLocation> {
    const url = await this.#endpoint(address, version, "download");
    const what = `the download location of ${formatModuleAddress(address)} ${version}`;
    const answer = await this.#http.api(url, API_LIMIT, what);
    if (answer.status === 404)
      throw new TofuOciError("not-found", `module ${formatModuleAddress(address)} version ${version} not found`);
    if (answer.status === 204) return indirect(header(answer.headers, "x-terraform-get"), answer.url, what);
    if (answer.status !== 200) throw await statusError(answer, what);
    const body = parseJsonObject(answer.body, what) as { location?: unknown; use_registry_credentials?: unknown };
    const location = typeof body.location === "string" ? body.location : "";
    if (body.use_registry_credentials !== undefined && body.use_registry_credentials !== null)
      return direct(location, answer.url, body.use_registry_credentials === true, what);
    return indirect(location === "" ? header(answer.headers, "x-terraform-get") : location, answer.url, what);
  }

  async #endpoint(address: ModuleAddress, ...parts: string[]): Promise<URL> {
    const base = await this.#base(address.hostname);
    return new URL([address.namespace, address.name, address.system, ...parts].map(encodeURIComponent).join("/"), base);
  }

  #base(hostname: string): Promise<URL> {
    let base = this.#bases.get(hostname);
    if (!base) {
      base = this.#discover(hostname);
      this.#bases.set(hostname, base);
    }
    return base;
  }

  /** Service discovery of `modules.v1`; like OpenTofu, a `/` is added to its path when missing. */
  async #discover(hostname: string): Promise<URL> {
    const base = await discoverService(this.#http, hostname, "modules.v1", (why) => noModuleRegistry(hostname, why));
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    return base;
  }
}

function indirect(location: string | undefined, downloadUrl: URL, what: string): ModuleLocation {
  if (!location) throw invalidResponse(`${what}: the registry did not return a location for this package`);
  const relative = location.startsWith("/") || location.startsWith("./") || location.startsWith("../");
  return { kind: "indirect", address: relative ? new URL(location, downloadUrl).href : location };
}

function direct(location: string, downloadUrl: URL, useRegistryCredentials: boolean, what: string): ModuleLocation {
  let url: URL;
  try {
    url = new URL(location, downloadUrl);
  } catch {
    throw invalidResponse(`${what}: "${location}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw invalidResponse(`${what}: "${location}" must be an http or https URL`);
  if (url.hash !== "") throw invalidResponse(`${what}: "${location}" must not include a fragment`);
  return { kind: "direct", url, useRegistryCredentials };
}

function noModuleRegistry(hostname: string, why: string): TofuOciError {
  return new TofuOciError("not-found", `${hostname} offers no module registry: ${why}`, {
    hint: "Check the host name; the default is registry.opentofu.org.",
  });
}
