import { usageError } from "@tofu-oci/core";
import { configFor, type TofuOciConfig } from "./config.js";
import type { CommandContext } from "./context.js";

/**
 * Puts the config file's `registry` in front of a reference whose first path component is not a
 * host: `modules/vpc:1.0.0` becomes `registry.example.com/modules/vpc:1.0.0`. As in Docker, a
 * component is a host when it contains `.` or `:` or is `localhost`. References in OpenTofu form
 * (`oci://...`), references without a `/`, and templates that start with a `${...}` variable come
 * back unchanged.
 * @throws TofuOciError "usage" when the first component is not a host and no registry is
 *   configured: `modules` in `modules/net:1.0.0` would otherwise be looked up as a host name.
 */
export function qualifyReference(reference: string, registry: string | undefined): string {
  if (reference.startsWith("oci://")) return reference;
  const slash = reference.indexOf("/");
  if (slash <= 0) return reference;
  const first = reference.slice(0, slash);
  if (/[.:]/.test(first) || first === "localhost" || first.startsWith("${")) return reference;
  if (registry) return `${registry}/${reference}`;
  throw usageError(
    `"${first}" in ${reference} is not a registry host (a host has a "." or ":", or is localhost)`,
    `Write the registry first, e.g. registry.example.com/${reference}, or set "registry" in a .tofu-ocirc file.`,
  );
}

/**
 * The config file's defaults for a command's references: `qualify` applies
 * {@link qualifyReference} with the configured `registry`.
 */
export async function referenceDefaults(
  ctx: CommandContext,
): Promise<{ config: TofuOciConfig; qualify: (reference: string) => string }> {
  const { config } = await configFor(ctx);
  return { config, qualify: (reference) => qualifyReference(reference, config.registry) };
}
