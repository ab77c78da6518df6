import { ProgressBars, type CommandContext, type Output } from "@tofu-oci/cli-kit";
import type { ProvidersHooks } from "./providers.js";

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
