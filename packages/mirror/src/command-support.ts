import type { CommandContext, Output, RegistryArgs } from "@tofu-oci/cli-kit";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";

/** Registry settings and credentials (-u/-p, else exactly what `tofu init` would use). */
export async function clientOptionsFor(args: RegistryArgs, ctx: CommandContext, output: Output): Promise<RegistryClientOptions & { concurrency: number }> {
  const { commandClientOptions } = await import("@tofu-oci/auth");
  return commandClientOptions(args, ctx, output);
}
