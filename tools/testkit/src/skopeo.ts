import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs skopeo with the given arguments and returns stdout as a Buffer. */
export async function skopeo(args: string[]): Promise<Buffer> {
  const { stdout } = await run("skopeo", args, { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** `skopeo inspect --raw`: the manifest bytes exactly as the registry serves them. */
export function skopeoInspectRaw(reference: string, flags: string[]): Promise<Buffer> {
  return skopeo(["inspect", "--raw", ...flags, `docker://${reference}`]);
}
