import { usageError } from "@tofu-oci/core";
import { parseVersionConstraint, type VersionConstraint } from "../version-constraints.js";

/** OpenTofu's default module registry host. */
export const DEFAULT_MODULE_HOST = "registry.opentofu.org";

/** A module registry address (OpenTofu regaddr.ModulePackage). */
export interface ModuleAddress {
  /** Lowercase host with `:PORT` when given. */
  hostname: string;
  namespace: string;
  name: string;
  /** The target system, e.g. `aws`. */
  system: string;
}

/** One `NAMESPACE/NAME/SYSTEM[@CONSTRAINT]` argument. */
export interface ModuleRequest {
  address: ModuleAddress;
  constraint?: VersionConstraint;
}

const NAME_PART = /^[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?$/;
const SYSTEM_PART = /^[0-9a-z]{1,64}$/;
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/;

/**
 * Parses `[HOST/]NAMESPACE/NAME/SYSTEM[@CONSTRAINT]` with the rules of OpenTofu's registry
 * module addresses; the host defaults to registry.opentofu.org and the constraint uses
 * OpenTofu's syntax (`~> 5.0`, `>= 1.2, < 2.0`).
 * @throws TofuOciError "usage" (exit 2) naming what is wrong.
 */
export function parseModuleRequest(input: string): ModuleRequest {
  const at = input.indexOf("@");
  const text = (at === -1 ? input : input.slice(0, at)).trim();
  const request: ModuleRequest = { address: parseModuleAddress(text, input) };
  if (at !== -1) {
    const constraint = input.slice(at + 1).trim();
    if (constraint === "") throw badAddress(input, "the version constraint after @ is empty", "Write e.g. terraform-aws-modules/vpc/aws@~>5.0, or leave out @ for the newest version.");
    request.constraint = parseVersionConstraint(constraint);
  }
  return request;
}

/** `HOST/NAMESPACE/NAME/SYSTEM`. */
export function formatModuleAddress(address: ModuleAddress): string {
  return `${address.hostname}/${address.namespace}/${address.name}/${address.system}`;
}

function parseModuleAddress(text: string, input: string): ModuleAddress {
  const parts = text.split("/");
  if (parts.length === 4 && parts[0]!.startsWith(".")) throw badAddress(input, "it is a local path");
  if (parts.length !== 3 && parts.length !== 4) throw badAddress(input, "it is not NAMESPACE/NAME/SYSTEM or HOST/NAMESPACE/NAME/SYSTEM");
  const hostname = parts.length === 4 ? parts[0]!.toLowerCase() : DEFAULT_MODULE_HOST;
  const [namespace, name, system] = parts.slice(-3) as [string, string, string];
  if (!HOST.test(hostname)) throw badAddress(input, `"${hostname}" is not a host name`);
  if (!NAME_PART.test(namespace)) throw badAddress(input, `"${namespace}" is not a valid namespace`);
  if (!NAME_PART.test(name)) throw badAddress(input, `"${name}" is not a valid module name`);
  if (!SYSTEM_PART.test(system)) throw badAddress(input, `"${system}" is not a valid target system`, "The target system is lowercase letters and digits, e.g. aws.");
  return { hostname, namespace, name, system };
}

function badAddress(input: string, problem: string, hint = "Write NAMESPACE/NAME/SYSTEM, e.g. terraform-aws-modules/vpc/aws, optionally with HOST/ in front.") {
  return usageError(`invalid module address "${input}": ${problem}`, hint);
}
