import { formatBytes } from "./format-bytes.js";
import type { TransferFields } from "./records.js";

/** One line for people about a record's transfer fields: what was sent, found, mounted. */
export function describeTransfer(fields: TransferFields): string {
  if (fields.unchanged) return `nothing sent: ${fields.blobsSkipped + fields.manifestsSkipped} already there`;
  const parts = [
    `${plural(fields.blobsCopied, "blob")} and ${plural(fields.manifestsCopied, "manifest")} copied (${formatBytes(fields.bytesCopied)} sent)`,
  ];
  const skipped = fields.blobsSkipped + fields.manifestsSkipped;
  if (skipped > 0) parts.push(`${skipped} already there`);
  if (fields.blobsMounted > 0) parts.push(`${plural(fields.blobsMounted, "blob")} mounted`);
  return parts.join(", ");
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
