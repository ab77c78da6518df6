import { registryClientOptions, type CommandContext, type Output, type RegistryArgs } from "@tofu-oci/cli-kit";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { commandCredentials } from "./provider.js";

/**
 * Registry client options for a tofu-oci command: the registry flags, config defaults, and
 * credentials from -u/-p or else exactly the ones `tofu init` would use. Every command that
 * talks to a registry (push, verify, mirror) gets its options here.
 */
export async function commandClientOptions(args: RegistryArgs, ctx: CommandContext, output: Output): Promise<RegistryClientOptions & { concurrency: number }> {
  return registryClientOptions(args, ctx, { credentials: commandCredentials(ctx), log: (line) => output.debug(line) });
}
