import { goQuote } from "../quote.js";
import { splitPackageSubdir } from "./source.js";

const NAME = /^[0-9A-Za-z](?:[0-9A-Za-z-_]{0,62}[0-9A-Za-z])?$/;
const TARGET_SYSTEM = /^[0-9a-z]{1,64}$/;
const HOST =
  /^(?:[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?)(?:\.(?:[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?))*\.?(?::[0-9]+)?$/;

/**
 * Whether `regaddr.ParseModuleSource` (opentofu/registry-address module.go:50-120) takes the
 * string as a module registry address (`[HOST/]NAMESPACE/NAME/SYSTEM[//SUBDIR]`), and its error
 * otherwise. Hostnames are checked as plain ASCII names (svchost's IDNA rules are not modelled);
 * an address with a scheme (`oci://...`) never is one: its second part is empty.
 */
export function isRegistryModuleAddress(raw: string): { ok: boolean; error?: string } {
  const [address, subdir] = splitPackageSubdir(raw);
  if (subdir.startsWith("../"))
    return {
      ok: false,
      error: `subdirectory path ${goQuote(subdir, { bytes: true })} leads outside of the module package`,
    };
  const parts = address.split("/");
  if (parts.length !== 3 && parts.length !== 4) {
    return {
      ok: false,
      error: "a module registry source address must have either three or four slash-separated components",
    };
  }
  if (parts.length === 4) {
    const host = parts.shift()!;
    if (!HOST.test(host)) {
      return {
        ok: false,
        error: host.includes("--")
          ? `invalid module registry hostname ${goQuote(host, { bytes: true })}; internationalized domain names must be given as direct unicode characters, not in punycode`
          : `invalid module registry hostname ${goQuote(host, { bytes: true })}`,
      };
    }
    if (!host.includes("."))
      return { ok: false, error: "invalid module registry hostname: must contain at least one dot" };
    if (["github.com", "bitbucket.org"].includes(host.toLowerCase())) {
      return {
        ok: false,
        error: `can't use ${goQuote(host.toLowerCase())} as a module registry host, because it's reserved for installing directly from version control repositories`,
      };
    }
  }
  const [namespace, name, system] = parts as [string, string, string];
  const nameRule =
    "must be between one and 64 characters, including ASCII letters, digits, dashes, and underscores, where dashes and underscores may not be the prefix or suffix";
  if (!NAME.test(namespace)) {
    if (namespace.includes("."))
      return {
        ok: false,
        error:
          "source address must have three more components after the hostname: the namespace, the name, and the target system",
      };
    return { ok: false, error: `invalid namespace ${goQuote(namespace, { bytes: true })}: ${nameRule}` };
  }
  if (!NAME.test(name))
    return { ok: false, error: `invalid module name ${goQuote(name, { bytes: true })}: ${nameRule}` };
  if (!TARGET_SYSTEM.test(system)) {
    if (system.includes("?"))
      return { ok: false, error: "module registry addresses may not include a query string portion" };
    return {
      ok: false,
      error: `invalid target system ${goQuote(system, { bytes: true })}: must be between one and 64 ASCII letters or digits`,
    };
  }
  return { ok: true };
}
