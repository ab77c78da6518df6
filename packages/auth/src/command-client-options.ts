import { registryClientOptions, type CommandContext, type Output, type RegistryArgs } from "@tofu-oci/cli-kit";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";

/**
 * Registry client options for a tofu-oci command: the registry flags and config defaults (see
 * cli-kit's `registryClientOptions`), with credentials from -u/-p/--password-stdin or else
 * exactly the ones `tofu init` would use, and requests logged with --verbose. Every command that
 * talks to a registry (push, verify, mirror, auth token) gets its options here.
 */
export async function commandClientOptions(
  args: RegistryArgs & { ctx: CommandContext },
  output: Output,
): Promise<RegistryClientOptions & { concurrency: number }> {
  const { commandCredentials } = await import("./provider.js");
  return registryClientOptions(args, args.ctx, {
    credentials: commandCredentials(args.ctx),
    log: (line) => output.debug(line),
  });
}
