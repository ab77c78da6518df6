import { parseReference, usageError } from "@tofu-oci/core";
import { isValidOrasRegistry } from "./policy/oras-reference.js";
import type { CredentialsQuery } from "./resolver.js";

/**
 * The (domain, repository) OpenTofu would look up for a reference (docs/contract/auth/spec.md §10): the host exactly
 * as written (OpenTofu does not lower-case it) and the repository path. Accepts the ORAS form
 * `HOST/REPO[:TAG|@DIGEST]`, `oci://HOST/REPO[?tag=...]`, or a bare `HOST` for the registry as
 * a whole.
 * @throws TofuOciError (usage) for an invalid reference.
 */
export function queryFromReference(input: string): CredentialsQuery {
  const text = input.trim().replace(/^oci:\/\//, "");
  if (!text.includes("/")) return { registry: registryHost(input), repository: "" };
  const parsed = parseReference(input);
  return { registry: text.slice(0, text.indexOf("/")), repository: parsed.repository };
}

/**
 * A registry host for login and logout: `HOST[:PORT]`, no scheme, no path.
 * @throws TofuOciError (usage)
 */
export function registryHost(input: string): string {
  const host = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    throw usageError(
      `invalid registry "${input}": give the host without a scheme`,
      `Write ${host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/.*$/, "")}: OpenTofu matches credentials by host, never by URL.`,
    );
  }
  if (!isValidOrasRegistry(host))
    throw usageError(
      `invalid registry "${input}"`,
      "Give a registry host with an optional port, e.g. registry.example.com or 127.0.0.1:5000.",
    );
  return host;
}
