import { domainToASCII } from "node:url";
import { usageError } from "@tofu-oci/core";

/** OpenTofu's default provider registry host, used when an address names no host. */
export const DEFAULT_PROVIDER_HOST = "registry.opentofu.org";

/** A fully qualified provider source address (OpenTofu `addrs.Provider`). */
export interface ProviderAddress {
  /** Lowercase punycode host, with `:PORT` unless the port is 443. */
  hostname: string;
  namespace: string;
  type: string;
}

/** One PROVIDER[@CONSTRAINT] argument of `tofu-oci-mirror providers`. */
export interface ProviderRequest {
  address: ProviderAddress;
  /** The constraint text after `@`, undefined for "newest non-prerelease". */
  constraint?: string;
}

const PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Parses `NAMESPACE/TYPE` (host registry.opentofu.org) or `HOST[:PORT]/NAMESPACE/TYPE` the way
 * OpenTofu's `addrs.ParseProviderSourceString` does, normalized to lowercase.
 * @throws TofuOciError "usage" (exit 2) naming what is wrong.
 */
export function parseProviderAddress(input: string): ProviderAddress {
  const parts = input.trim().split("/");
  if (parts.length !== 2 && parts.length !== 3) {
    throw badAddress(input, "a provider address is NAMESPACE/TYPE or HOST/NAMESPACE/TYPE");
  }
  const [hostPart, namespacePart, typePart] = parts.length === 3 ? parts : [DEFAULT_PROVIDER_HOST, ...parts];
  const hostname = normalizeHostname(hostPart!, input);
  const namespace = providerPart(namespacePart!, "namespace", input);
  const type = providerPart(typePart!, "type", input);
  if (type.startsWith("terraform-provider-")) {
    throw badAddress(input, `the type "${type}" must not start with terraform-provider-`, `Did you mean ${namespace}/${type.slice("terraform-provider-".length)}?`);
  }
  return { hostname, namespace, type };
}

/**
 * Splits `PROVIDER@CONSTRAINT` at the first `@`; the constraint is checked by the caller.
 * @throws TofuOciError "usage" for a bad address or an empty constraint.
 */
export function parseProviderRequest(input: string): ProviderRequest {
  const at = input.indexOf("@");
  const address = parseProviderAddress(at === -1 ? input : input.slice(0, at));
  if (at === -1) return { address };
  const constraint = input.slice(at + 1).trim();
  if (constraint === "") throw badAddress(input, "the version constraint after @ is empty", "Write e.g. hashicorp/aws@~>5.0, or leave out @ for the newest version.");
  return { address, constraint };
}

/** `HOST/NAMESPACE/TYPE`, the form lock files and CLI configuration use. */
export function formatProviderAddress(address: ProviderAddress): string {
  return `${address.hostname}/${address.namespace}/${address.type}`;
}

/** Lowercase punycode host; `:443` is dropped as OpenTofu's svchost does. */
function normalizeHostname(host: string, input: string): string {
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(host);
  const name = match?.[1] ? domainToASCII(match[1]) : "";
  if (!match || name === "" || !/^[a-z0-9.-]+$/.test(name) || name.startsWith(".") || name.endsWith(".")) {
    throw badAddress(input, `invalid registry host "${host}"`);
  }
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw badAddress(input, `invalid port in "${host}"`);
  return port === undefined || port === 443 ? name : `${name}:${port}`;
}

function providerPart(part: string, what: string, input: string): string {
  const value = part.toLowerCase();
  if (value === "") throw badAddress(input, `the ${what} is empty`);
  if (!PART.test(value)) {
    const hint = value.includes("--") ? "Consecutive dashes are not allowed." : "Use letters, digits and single dashes, not at the start or end.";
    throw badAddress(input, `invalid provider ${what} "${part}"`, hint);
  }
  return value;
}

function badAddress(input: string, problem: string, hint = "Write NAMESPACE/TYPE (e.g. hashicorp/aws) or HOST/NAMESPACE/TYPE, optionally @CONSTRAINT.") {
  return usageError(`invalid provider "${input}": ${problem}`, hint);
}
