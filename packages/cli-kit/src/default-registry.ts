import { loadConfig, type TofuOciConfig } from "./config.js";
import type { CommandContext } from "./context.js";

/**
 * Puts the config file's `registry` in front of a reference whose first path component is not a
 * host: `modules/vpc:1.0.0` becomes `registry.example.com/modules/vpc:1.0.0`. As in Docker, a
 * component is a host when it contains `.` or `:` or is `localhost`. References in OpenTofu form
 * (`oci://...`), references without a `/`, and any reference when no registry is configured come
 * back unchanged.
 */
export function qualifyReference(reference: string, registry: string | undefined): string {
  if (!registry || reference.startsWith("oci://")) return reference;
  const slash = reference.indexOf("/");
  if (slash <= 0) return reference;
  const first = reference.slice(0, slash);
  return /[.:]/.test(first) || first === "localhost" ? reference : `${registry}/${reference}`;
}

/**
 * The config file's defaults for a command's references: `qualify` applies
 * {@link qualifyReference} with the configured `registry`.
 */
export async function referenceDefaults(ctx: CommandContext): Promise<{ config: TofuOciConfig; qualify: (reference: string) => string }> {
  const { config } = await loadConfig(ctx.cwd);
  return { config, qualify: (reference) => qualifyReference(reference, config.registry) };
}
