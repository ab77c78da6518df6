import { domainToASCII, domainToUnicode } from "node:url";
import { TofuOciError } from "@tofu-oci/core";
import { hostnameForComparison, hostnameForDisplay } from "./hostname.js";

/** OpenTofu's default provider registry host (registry-address provider.go DefaultProviderRegistryHost). */
export const DEFAULT_PROVIDER_HOST = "registry.opentofu.org";

/** A provider's fully-qualified source address (OpenTofu `addrs.Provider`). */
export interface ProviderAddress {
  /** The host as OpenTofu compares it: lowercase punycode, with `:PORT` unless the port is 443. */
  hostname: string;
  /** The namespace, lower case, e.g. `hashicorp`. */
  namespace: string;
  /** The provider type, lower case, e.g. `aws`. */
  type: string;
}

/**
 * Which written forms of an address are accepted:
 * - `source`: `[HOSTNAME/][NAMESPACE/]TYPE`, as a `required_providers` `source` (a missing host is
 *   registry.opentofu.org, a missing namespace `hashicorp`); any case.
 * - `qualified`: `HOSTNAME/NAMESPACE/TYPE` in any case, as `tofu providers lock` and tofu-oci's
 *   `--provider` flags take it.
 * - `normalized`: exactly the normalized `HOSTNAME/NAMESPACE/TYPE`, as a lock file's
 *   `provider` block label must be written.
 */
export type ProviderAddressForm = "source" | "qualified" | "normalized";

/** Options of {@link parseProviderAddress}. */
export interface ParseProviderAddressOptions {
  /** Default `source`. */
  form?: ProviderAddressForm;
}

const HINT =
  "Write the provider's source address as HOSTNAME/NAMESPACE/TYPE, e.g. registry.opentofu.org/hashicorp/aws.";

/**
 * Parses a provider source address with OpenTofu's rules: `addrs.ParseProviderSourceString`
 * (internal/addrs/provider.go:139) over registry-address `ParseProviderSource` (provider.go:210
 * at d0a99bd): 1 to 3 `/`-separated parts; namespace and type through `ParseProviderPart`
 * (provider.go:444: letters, digits and dashes, no leading or trailing dash, no `--`, no dots,
 * lowercased); the host through {@link hostnameForComparison}; a type starting with `terraform-` or `opentofu-` refused
 * (provider.go:281); a missing namespace is `hashicorp` (addrs/provider.go:152).
 * `normalized` adds the lock file's rule that the label equals `addr.String()`
 * (internal/depsfile/locks_file.go:294).
 * @throws TofuOciError "usage" (exit 2) saying what is wrong; its message has no line breaks.
 */
export function parseProviderAddress(text: string, options: ParseProviderAddressOptions = {}): ProviderAddress {
  const form = options.form ?? "source";
  const parts = text.split("/");
  if (parts.length > 3 || parts.some((part) => part === "")) {
    throw bad(text, "a provider address is TYPE, NAMESPACE/TYPE or HOSTNAME/NAMESPACE/TYPE");
  }
  if (form !== "source" && parts.length !== 3) throw bad(text, "it is not of the form HOSTNAME/NAMESPACE/TYPE");
  const type = providerPart(parts.at(-1)!, "type", text);
  const namespace = parts.length >= 2 ? namespacePart(parts.at(-2)!, text) : "hashicorp";
  const hostname = parts.length === 3 ? normalizeHostname(parts[0]!, text) : DEFAULT_PROVIDER_HOST;
  if (namespace === "-" && hostname !== DEFAULT_PROVIDER_HOST) {
    throw bad(text, `the legacy namespace "-" can be used only with ${DEFAULT_PROVIDER_HOST}`);
  }
  assertTypePrefix(type, namespace, text);
  const address = { hostname, namespace, type };
  if (form === "normalized" && formatProviderAddress(address) !== text) {
    throw bad(text, `the address must be written in its normalized form "${formatProviderAddress(address)}"`);
  }
  return address;
}

/** `HOSTNAME/NAMESPACE/TYPE` as OpenTofu writes it (`Provider.String()`: the host in its Unicode display form). */
export function formatProviderAddress(address: ProviderAddress): string {
  return `${hostnameForDisplay(address.hostname)}/${address.namespace}/${address.type}`;
}

/** True for the built-in providers, which are never locked (registry-address provider.go `IsBuiltIn`). */
export function isBuiltInProvider(address: ProviderAddress): boolean {
  return (
    (address.hostname === "terraform.io" || address.hostname === "opentofu.org") && address.namespace === "builtin"
  );
}

function namespacePart(part: string, text: string): string {
  return part === "-" ? part : providerPart(part, "namespace", text);
}

/** registry-address ParseProviderPart: one DNS-like label, case-folded. */
function providerPart(given: string, what: string, text: string): string {
  if (given.includes(".")) throw bad(text, `invalid provider ${what} "${given}": dots are not allowed`);
  if (given.includes("--")) {
    throw bad(text, `invalid provider ${what} "${given}": cannot use multiple consecutive dashes`);
  }
  const ascii = domainToASCII(given);
  const value = ascii === "" ? "" : domainToUnicode(ascii);
  if (!/^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u.test(value)) {
    throw bad(
      text,
      `invalid provider ${what} "${given}": it must contain only letters, digits and dashes, and may not start or end with a dash`,
    );
  }
  return value;
}

/** The `terraform-`/`opentofu-` type prefixes registry-address refuses, with its suggestion. */
function assertTypePrefix(type: string, namespace: string, text: string): void {
  for (const [redundant, userError] of [
    ["terraform-", "terraform-provider-"],
    ["opentofu-", "opentofu-provider-"],
  ] as const) {
    if (!type.startsWith(redundant)) continue;
    const suggestion = type.startsWith(userError) ? ` Did you mean ${namespace}/${type.slice(userError.length)}?` : "";
    throw bad(
      text,
      `the type "${type}" must not start with ${type.startsWith(userError) ? userError : redundant}`,
      suggestion ? suggestion.trim() : HINT,
    );
  }
}

function normalizeHostname(given: string, text: string): string {
  const hostname = hostnameForComparison(given);
  if (typeof hostname !== "string") throw bad(text, `invalid registry hostname: ${hostname.problem}`);
  return hostname;
}

function bad(text: string, problem: string, hint = HINT): TofuOciError {
  return new TofuOciError("usage", `invalid provider address "${text}": ${problem}`, { hint });
}
