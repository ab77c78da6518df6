import { domainToASCII, domainToUnicode } from "node:url";

/**
 * A registry host as OpenTofu compares it, svchost `ForComparison` (opentofu/svchost
 * svchost.go:106): lowercase punycode labels (IDNA lookup), punycode given directly (`xn--`)
 * refused, the port kept unless it is the default `:443` (normalizePortPortion, svchost.go:207).
 * Returns what is wrong instead when it is not a hostname.
 */
export function hostnameForComparison(given: string): string | { problem: string } {
  const colon = given.indexOf(":");
  const name = colon === -1 ? given : given.slice(0, colon);
  const port = colon === -1 ? undefined : given.slice(colon + 1);
  if (port !== undefined && (!/^\d+$/.test(port) || Number(port) > 65535)) {
    return { problem: `invalid port in "${given}"` };
  }
  if (name.split(".").some((label) => label === "" || /^xn--/i.test(label))) {
    return { problem: `"${given}" has an empty label or a punycode (xn--) label; write the hostname in Unicode` };
  }
  const ascii = domainToASCII(name);
  // The IDNA lookup profile applies STD3 rules: letters, digits and inner dashes only.
  if (ascii === "" || !ascii.split(".").every((label) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label))) {
    return { problem: `"${given}" is not a hostname` };
  }
  return port === undefined || Number(port) === 443 ? ascii : `${ascii}:${Number(port)}`;
}

/** svchost `Hostname.ForDisplay` (svchost.go:169): punycode labels back in Unicode, the port kept. */
export function hostnameForDisplay(hostname: string): string {
  const colon = hostname.indexOf(":");
  const name = colon === -1 ? hostname : hostname.slice(0, colon);
  return `${name.includes("xn--") ? domainToUnicode(name) : name}${colon === -1 ? "" : hostname.slice(colon)}`;
}
