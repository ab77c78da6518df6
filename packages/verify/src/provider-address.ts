/** A provider's fully-qualified source address, `HOST/NAMESPACE/TYPE`. */
export interface ProviderAddress {
  hostname: string;
  namespace: string;
  type: string;
}

// opentofu/registry-address ParseProviderPart: letters, digits and dashes, no leading or
// trailing dash, no "--"; the normalized form is lowercase.
const PART = /^[\p{Ll}\p{Lo}\p{Nd}](?:[\p{Ll}\p{Lo}\p{Nd}-]*[\p{Ll}\p{Lo}\p{Nd}])?$/u;
const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;

/**
 * Parses a normalized `HOST/NAMESPACE/TYPE`, as a lock file's provider block label must be
 * written (internal/depsfile/locks_file.go decodeProviderLockFromHCL). Returns a problem
 * description instead when it is not one.
 */
export function parseProviderAddress(text: string): ProviderAddress | { problem: string } {
  const parts = text.split("/");
  if (parts.length !== 3) return { problem: `"${text}" is not of the form HOSTNAME/NAMESPACE/TYPE` };
  const [hostname, namespace, type] = parts as [string, string, string];
  if (!HOSTNAME.test(hostname)) return { problem: `"${hostname}" is not a normalized (lowercase) hostname` };
  for (const part of [namespace, type]) {
    if (!PART.test(part) || part.includes("--")) {
      return { problem: `"${part}" must be lowercase letters, digits and single dashes, not starting or ending with a dash` };
    }
  }
  if (hostname === "terraform.io" && namespace === "builtin") return { problem: `${text} is a built-in provider, which is never locked` };
  return { hostname, namespace, type };
}

export function isProviderAddress(value: ProviderAddress | { problem: string }): value is ProviderAddress {
  return !("problem" in value);
}

/** Formats a provider address as `HOST/NAMESPACE/TYPE`. */
export function formatProviderAddress(address: ProviderAddress): string {
  return `${address.hostname}/${address.namespace}/${address.type}`;
}
