import { loadConfig, registryClientOptions, type CommandContext, type RegistryArgs, type TofuOciConfig } from "@tofu-oci/cli-kit";
import type { CredentialProvider } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";

/** The transport flags shared with ORAS (--plain-http, --insecure, --ca-file). */
export type TransportArgs = Pick<RegistryArgs, "plainHttp" | "insecure" | "caFile">;

/** The tofu-oci config file's defaults, and the --registry-config to use (flag first). */
export async function configDefaults(ctx: CommandContext, registryConfig: string | undefined): Promise<{ config: TofuOciConfig; registryConfig?: string }> {
  const { config } = await loadConfig(ctx.cwd);
  const file = registryConfig ?? config.registryConfig;
  return file ? { config, registryConfig: file } : { config };
}

/**
 * Registry client options from the transport flags and config defaults, with credentials from
 * `-u/-p/--password-stdin` when given and `credentials` otherwise.
 */
export async function clientOptions(args: RegistryArgs, ctx: CommandContext, config: TofuOciConfig, credentials: CredentialProvider): Promise<RegistryClientOptions> {
  // registryConfig is handled by @tofu-oci/auth's provider, not by cli-kit's plain reader.
  const { registryConfig: _ignored, ...rest } = args;
  const { registryConfig: _alsoIgnored, ...defaults } = config;
  const { concurrency: _concurrency, ...options } = await registryClientOptions(rest, ctx, { config: defaults, defaultCredentials: credentials });
  return options;
}
