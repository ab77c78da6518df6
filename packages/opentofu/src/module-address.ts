import { TofuOciError } from "@tofu-oci/core";
import { hostnameForComparison } from "./hostname.js";

/** OpenTofu's default module registry host (registry-address module.go DefaultModuleRegistryHost). */
export const DEFAULT_MODULE_HOST = "registry.opentofu.org";

/** A module registry address (OpenTofu regaddr.ModulePackage). */
export interface ModuleAddress {
  /** The host as OpenTofu compares it (lowercase punycode, `:PORT` unless 443). */
  hostname: string;
  /** The namespace (organization), e.g. `terraform-aws-modules`. */
  namespace: string;
  /** The module name, e.g. `vpc`. */
  name: string;
  /** The target system, e.g. `aws`. */
  system: string;
}

// registry-address module.go:45-46 (d0a99bd): namespaces and names keep their case.
const NAME_PART = /^[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?$/;
const SYSTEM_PART = /^[0-9a-z]{1,64}$/;
const VCS_HOSTS = new Set(["github.com", "bitbucket.org"]);

/**
 * Parses `[HOST/]NAMESPACE/NAME/SYSTEM` as registry-address `ParseModuleSource` does
 * (module.go:50 at d0a99bd, without the `//subdir`): the host defaults to registry.opentofu.org,
 * must contain a dot and is not github.com or bitbucket.org; namespace and name are 1 to 64
 * letters, digits, `-` and `_` (not at either end); the system is 1 to 64 lowercase letters and
 * digits.
 * @throws TofuOciError "usage" (exit 2) naming what is wrong.
 */
export function parseModuleAddress(text: string): ModuleAddress {
  const parts = text.split("/");
  if (parts.length === 4 && parts[0]!.startsWith(".")) throw bad(text, "it is a local path");
  if (parts.length !== 3 && parts.length !== 4) {
    throw bad(text, "it is not NAMESPACE/NAME/SYSTEM or HOST/NAMESPACE/NAME/SYSTEM");
  }
  const hostname = parts.length === 4 ? moduleHost(parts[0]!, text) : DEFAULT_MODULE_HOST;
  const [namespace, name, system] = parts.slice(-3) as [string, string, string];
  if (!NAME_PART.test(namespace)) throw bad(text, `"${namespace}" is not a valid namespace`);
  if (!NAME_PART.test(name)) throw bad(text, `"${name}" is not a valid module name`);
  if (!SYSTEM_PART.test(system)) {
    throw bad(
      text,
      `"${system}" is not a valid target system`,
      "The target system is lowercase letters and digits, e.g. aws.",
    );
  }
  return { hostname, namespace, name, system };
}

/** `HOST/NAMESPACE/NAME/SYSTEM`. */
export function formatModuleAddress(address: ModuleAddress): string {
  return `${address.hostname}/${address.namespace}/${address.name}/${address.system}`;
}

function moduleHost(given: string, text: string): string {
  const hostname = hostnameForComparison(given);
  if (typeof hostname !== "string") throw bad(text, `"${given}" is not a host name`);
  if (!hostname.includes(".")) throw bad(text, `"${given}" is not a host name: it must contain at least one dot`);
  if (VCS_HOSTS.has(hostname)) {
    throw bad(text, `${hostname} is reserved for installing directly from version control, not a module registry`);
  }
  return hostname;
}

function bad(
  text: string,
  problem: string,
  hint = "Write NAMESPACE/NAME/SYSTEM, e.g. terraform-aws-modules/vpc/aws, optionally with HOST/ in front.",
) {
  return new TofuOciError("usage", `invalid module address "${text}": ${problem}`, { hint });
}
