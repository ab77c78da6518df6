import { ProgressBars, type CommandContext, type Output, type RegistryArgs } from "@tofu-oci/cli-kit";
import type { Descriptor } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import type { TransferHooks } from "./transfer-tally.js";

/** Registry settings and credentials (-u/-p, else exactly what `tofu init` would use). */
export async function clientOptionsFor(args: RegistryArgs, ctx: CommandContext, output: Output): Promise<RegistryClientOptions & { concurrency: number }> {
  const { commandClientOptions } = await import("@tofu-oci/auth/command");
  return commandClientOptions({ ...args, ctx }, output);
}

/** Runs a transfer with a progress bar per blob on a terminal stderr (never with --quiet). */
export async function withProgress<T>(ctx: CommandContext, output: Output, run: (hooks: TransferHooks) => Promise<T>): Promise<T> {
  const bars = new ProgressBars(ctx.stderr, { enabled: ctx.stderrIsTTY && !output.quiet });
  const started = new Set<string>();
  const finish = (descriptor: Descriptor, status: string) => {
    bars.finish(descriptor.digest, status);
    output.debug(`${status} ${descriptor.mediaType} ${descriptor.digest} (${descriptor.size} bytes)`);
  };
  const hooks: TransferHooks = {
    onProgress: (descriptor, bytes) => {
      if (!started.has(descriptor.digest)) {
        started.add(descriptor.digest);
        bars.start(descriptor.digest, `${descriptor.mediaType} ${descriptor.digest.slice(7, 19)}`, descriptor.size);
      }
      bars.update(descriptor.digest, bytes);
    },
    onCopied: (descriptor) => finish(descriptor, "copied"),
    onSkipped: (descriptor) => finish(descriptor, "exists"),
    onMounted: (descriptor, from) => finish(descriptor, `mounted from ${from}`),
  };
  try {
    return await run(hooks);
  } finally {
    bars.stop();
  }
}
