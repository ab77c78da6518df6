// The peer tools of the benchmark, each doing the same work as one of our commands against the
// same registry: curl uploading and downloading a blob, skopeo copying between registries.
import { rmSync } from "node:fs";
import { timeProcess } from "./lib.mjs";

function curlFlags(registry) {
  return [
    "-sS",
    "-f",
    ...(registry.caFile ? ["--cacert", registry.caFile] : []),
    ...(registry.username ? ["-u", `${registry.username}:${registry.password}`] : []),
  ];
}

/** Times a sequence of steps as one: wall time from the first start to the last end. */
async function timed(steps) {
  const started = process.hrtime.bigint();
  for (const step of steps) await step();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/**
 * curl uploading `blob` (`{ file, digest }`) as a plain client would: POST to start an upload,
 * then one monolithic PUT of the file with the digest (distribution-spec "POST then PUT").
 */
export async function curlUpload(registry, repository, blob) {
  let location;
  return timed([
    async () => {
      const post = await timeProcess("curl", [
        ...curlFlags(registry),
        "-X",
        "POST",
        "-D",
        "-",
        "-o",
        "/dev/null",
        `${registry.url}/v2/${repository}/blobs/uploads/`,
      ]);
      location = /^location:\s*(\S+)/im.exec(post.stdout)?.[1];
      if (!location) throw new Error(`curl POST gave no Location: ${post.stdout}`);
    },
    async () => {
      const url = new URL(location, registry.url);
      url.searchParams.set("digest", blob.digest);
      await timeProcess("curl", [
        ...curlFlags(registry),
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/octet-stream",
        "-T",
        blob.file,
        "-o",
        "/dev/null",
        url.href,
      ]);
    },
  ]);
}

/** curl downloading a blob into `file` (a plain GET that follows redirects); the file is removed after. */
export async function curlDownload(registry, repository, digest, file) {
  try {
    return await timeProcess("curl", [
      ...curlFlags(registry),
      "-L",
      "-o",
      file,
      `${registry.url}/v2/${repository}/blobs/${digest}`,
    ]);
  } finally {
    rmSync(file, { force: true });
  }
}

/** `skopeo copy` between two registries (docker:// transport), as it is usually run. */
export function skopeoCopy(source, sourceRef, destination, destinationRef) {
  return timeProcess("skopeo", [
    "copy",
    "-q",
    ...skopeoTls("src", source),
    ...skopeoTls("dest", destination),
    `docker://${source.host}/${sourceRef}`,
    `docker://${destination.host}/${destinationRef}`,
  ]);
}

/** The benchmark's registries are plain HTTP (--plain-http for ours). */
function skopeoTls(side, registry) {
  const flags = [`--${side}-tls-verify=false`];
  return registry.username ? [...flags, `--${side}-creds`, `${registry.username}:${registry.password}`] : flags;
}
