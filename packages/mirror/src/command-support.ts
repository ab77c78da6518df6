import { ProgressBars, type CommandContext, type Output } from "@tofu-oci/cli-kit";
import type { Descriptor } from "@tofu-oci/core";
import type { ProvidersHooks } from "./providers.js";
import type { TransferHooks } from "./transfer-tally.js";

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

/**
 * Runs a providers mirror with a progress bar per download and upload on a terminal stderr
 * (never with --quiet); warnings and --verbose lines go through the output.
 */
export async function withProvidersProgress<T>(ctx: CommandContext, output: Output, run: (hooks: ProvidersHooks) => Promise<T>): Promise<T> {
  const bars = new ProgressBars(ctx.stderr, { enabled: ctx.stderrIsTTY && !output.quiet });
  const labels = new Map<string, string>();
  const sized = new Set<string>();
  const hooks: ProvidersHooks = {
    onDownloadStart: (id, label, total) => {
      labels.set(id, label);
      bars.start(id, `download ${label}`, total);
    },
    onDownloadProgress: (id, bytes, total) => {
      // The size arrives with the response headers; restart the bar with it once.
      if (total !== undefined && !sized.has(id)) {
        sized.add(id);
        bars.start(id, `download ${labels.get(id) ?? id}`, total);
      }
      bars.update(id, bytes);
    },
    onDownloadDone: (id) => bars.finish(id, "downloaded"),
    upload: {
      onStart: (blob) => bars.start(`upload:${blob.digest}`, `upload ${blob.title}`, blob.size),
      onProgress: (blob, bytes) => bars.update(`upload:${blob.digest}`, bytes),
      onDone: (blob, outcome) => bars.finish(`upload:${blob.digest}`, outcome),
    },
    onWarning: (message) => output.warn(message),
    onLog: (message) => output.debug(message),
  };
  try {
    return await run(hooks);
  } finally {
    bars.stop();
  }
}
