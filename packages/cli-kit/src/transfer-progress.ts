import {
  EMPTY_CONFIG,
  isManifestMediaType,
  Annotation,
  type Descriptor,
  type DownloadHooks,
  type TransferHooks,
} from "@tofu-oci/core";
import type { CommandContext } from "./context.js";
import type { Output } from "./output.js";
import { ProgressBars } from "./progress.js";

/** The hooks {@link withTransferProgress} hands to a library call: copies and downloads. */
export type ProgressHooks = TransferHooks & DownloadHooks;

/** A blob for people: its title annotation (the file name), "config", or media type and short digest. */
export function blobLabel(descriptor: Descriptor): string {
  const title = descriptor.annotations?.[Annotation.title];
  if (title) return title;
  if (descriptor.digest === EMPTY_CONFIG.digest) return "config";
  return `${descriptor.mediaType} ${descriptor.digest.slice(7, 19)}`;
}

/**
 * Runs a transfer with progress on a terminal stderr: a bar per blob (copied, already there, or
 * mounted) and per download, never with --quiet; a --verbose line per blob and manifest. The one
 * progress adapter of every command; libraries only call the hooks.
 */
export async function withTransferProgress<T>(
  ctx: Pick<CommandContext, "stderr" | "stderrIsTTY">,
  output: Output,
  run: (hooks: ProgressHooks) => Promise<T>,
): Promise<T> {
  const bars = new ProgressBars(ctx.stderr, { enabled: ctx.stderrIsTTY && !output.quiet });
  try {
    return await run({ ...transferBars(bars, output), ...downloadBars(bars) });
  } finally {
    bars.stop();
  }
}

function transferBars(bars: ProgressBars, output: Output): TransferHooks {
  const started = new Set<string>();
  const start = (descriptor: Descriptor) => {
    if (started.has(descriptor.digest) || isManifestMediaType(descriptor.mediaType)) return;
    started.add(descriptor.digest);
    bars.start(descriptor.digest, blobLabel(descriptor), descriptor.size);
  };
  const finish = (descriptor: Descriptor, status: string) => {
    start(descriptor);
    bars.finish(descriptor.digest, status);
    output.debug(`${status} ${blobLabel(descriptor)} ${descriptor.digest} (${descriptor.size} bytes)`);
  };
  return {
    onStart: start,
    onProgress: (descriptor, bytes) => {
      start(descriptor);
      bars.update(descriptor.digest, bytes);
    },
    onCopied: (descriptor) => finish(descriptor, "copied"),
    onSkipped: (descriptor) => finish(descriptor, "exists"),
    onMounted: (descriptor, from) => finish(descriptor, `mounted from ${from}`),
  };
}

function downloadBars(bars: ProgressBars): DownloadHooks {
  const labels = new Map<string, string>();
  const sized = new Set<string>();
  return {
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
  };
}
