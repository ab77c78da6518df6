import { createHash } from "node:crypto";
import { h1Hash } from "@tofu-oci/core/zip";
import type { PackageHashes } from "./lock-hashes.js";
import type { UnpackPlan } from "./unpack-plan.js";
import type { InspectedEntry } from "./zip-inspect.js";

const EMPTY_SHA256 = createHash("sha256").digest("hex");

/**
 * The two `h1:` hashes of a provider zip: x/mod dirhash.HashZip over the raw entry names
 * (directories included, with empty content; a repeated name hashes the last entry's content
 * twice; a name with a newline is an error), and the hash of the directory it unpacks to.
 */
export function packageHashes(entries: InspectedEntry[], plan: UnpackPlan): PackageHashes {
  return { zipH1: hashZip(entries), dirH1: h1Hash([...plan.files].map(([name, index]) => ({ name, sha256: entries[index]!.sha256 }))) };
}

function hashZip(entries: InspectedEntry[]): string | { error: string } {
  const last = new Map(entries.map((entry) => [entry.name, entry.isDirectory ? EMPTY_SHA256 : entry.sha256]));
  const names = entries.map((entry) => entry.name).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const summary = createHash("sha256");
  for (const name of names) {
    if (name.includes("\n")) return { error: `dirhash: filenames with newlines are not supported (${JSON.stringify(name)})` };
    summary.update(`${last.get(name)}  ${name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}
