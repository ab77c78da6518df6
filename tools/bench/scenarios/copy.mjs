// Benchmark scenario (issue 11, scenario 3): registry -> registry copy with tofu-oci-mirror copy
// of a 200 MB module (vs `skopeo copy` of the same) and of a 4-platform provider version (ours
// only: skopeo cannot copy the provider index faithfully). Each repetition copies into a fresh
// destination registry, so neither tool can mount blobs that an earlier run left there (skopeo
// remembers blob locations in its blob-info cache and would mount them).
import { join } from "node:path";
import { modulePackageRecord, storedZip } from "../data.mjs";
import {
  alternate,
  listMs,
  mibPerSecond,
  registryFlags,
  repeat,
  round,
  testkit,
  timeBin,
  timeProcess,
} from "../lib.mjs";
import { skopeoCopy } from "../peers.mjs";

export const name = "copy";

const MODULE_BYTES = 200 * 1000 * 1000;
const PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64"];
const PROVIDER_ZIP_BYTES = 32 * 1024 ** 2;
/** Issue 19: our time at most 0.8x skopeo's. */
const COPY_GOAL = 0.8;

/** @param {{ repetitions: number, workDir: string, sharedDir: string, registry: object, log: (line: string) => void }} options */
export async function run({ repetitions, workDir, sharedDir, registry, log }) {
  const module = await pushModule(sharedDir, registry, log);
  const provider = await pushProvider(join(workDir, "provider"), registry, log);
  const { startRegistry } = await testkit();
  const destinations = [];
  const destination = async (i) =>
    (destinations[i] ??= await startRegistry({ mode: "plain", workDir: join(workDir, `destination-${i}`) }));
  try {
    const modules = await alternate(
      repetitions,
      async (i) => copyWithOurs(registry, module.ref, await destination(i), "bench/module-ours:1.0.0"),
      async (i) => skopeoCopy(registry, module.ref, await destination(i), "bench/module-skopeo:1.0.0"),
      (line) => log(`module: ${line}`),
      { before: () => timeProcess("sync", []) },
    );
    const providers = await repeat(
      repetitions,
      async (i) => copyWithOurs(registry, provider.ref, await destination(i), "bench/provider-ours:1.0.0"),
      (line) => log(`provider: ${line}`),
    );
    return [moduleRow(modules, module.bytes, repetitions), providerRow(providers, provider.bytes, repetitions)];
  } finally {
    await Promise.all(destinations.map((d) => d.stop()));
  }
}

async function pushModule(sharedDir, registry, log) {
  log("pushing a 200 MB module");
  const zip = await storedZip(sharedDir, {
    name: `module-${MODULE_BYTES}.zip`,
    entry: "main.bin",
    bytes: MODULE_BYTES,
  });
  const ref = "bench/copy-module:1.0.0";
  await timeBin("push", [`${registry.host}/${ref}`, ...registryFlags(registry)], {
    stdin: `${JSON.stringify(modulePackageRecord(zip))}\n`,
  });
  return { ref, bytes: zip.size };
}

async function pushProvider(dir, registry, log) {
  log(`pushing a provider with ${PLATFORMS.length} platforms of ${PROVIDER_ZIP_BYTES / 1024 ** 2} MiB`);
  const zips = [];
  for (const platform of PLATFORMS) {
    zips.push(
      await storedZip(dir, {
        name: `terraform-provider-thing_1.0.0_${platform}.zip`,
        entry: "terraform-provider-thing_v1.0.0",
        bytes: PROVIDER_ZIP_BYTES,
        mode: 0o100755,
      }),
    );
  }
  const packed = await timeBin("pack", [
    "provider",
    ...zips.map((z) => z.file),
    "--provider",
    "registry.example.com/bench/thing",
    "--version",
    "1.0.0",
  ]);
  const ref = "bench/copy-provider:1.0.0";
  await timeBin("push", [`${registry.host}/${ref}`, ...registryFlags(registry)], { stdin: packed.stdout });
  return { ref, bytes: zips.reduce((sum, z) => sum + z.size, 0) };
}

function copyWithOurs(source, ref, destination, destinationRef) {
  return timeBin("mirror", [
    "copy",
    `${source.host}/${ref}`,
    `${destination.host}/${destinationRef}`,
    ...registryFlags(source),
  ]);
}

function moduleRow(result, bytes, repetitions) {
  const ratio = result.oursMs / result.peerMs;
  return {
    scenario: "copy 200 MB module, registry -> registry",
    ours: { medianMs: Math.round(result.oursMs), peakRssMb: round(result.peakRssMb, 1) },
    peer: { name: "skopeo copy", medianMs: Math.round(result.peerMs) },
    ratio: round(ratio, 3),
    goal: `<= ${COPY_GOAL}x skopeo's time`,
    met: ratio <= COPY_GOAL,
    notes:
      `ratio = our time / skopeo's; ours = tofu-oci-mirror copy (resolve, manifest, config + layer streamed GET -> PUT with digest checks, tag); ` +
      `${repetitions} runs into a fresh destination registry each, order swapped each run; ${mibPerSecond(bytes, result.oursMs)} MiB/s ours vs ` +
      `${mibPerSecond(bytes, result.peerMs)} MiB/s skopeo; all runs ms: ours ${listMs(result.allOurs)}; skopeo ${listMs(result.allPeer)}`,
  };
}

function providerRow(result, bytes, repetitions) {
  return {
    scenario: `copy provider, ${PLATFORMS.length} platforms x ${PROVIDER_ZIP_BYTES / 1024 ** 2} MiB, registry -> registry`,
    ours: { medianMs: Math.round(result.oursMs), peakRssMb: round(result.peakRssMb, 1) },
    peer: null,
    ratio: null,
    goal: "none (no faithful peer)",
    met: true,
    notes:
      `ours only: skopeo cannot copy the provider index faithfully; index + ${PLATFORMS.length} manifests + configs + layers, blobs in parallel ` +
      `(--concurrency 4); ${repetitions} runs into a fresh destination registry each; ${mibPerSecond(bytes, result.oursMs)} MiB/s; all runs ms: ${listMs(result.allOurs)}`,
  };
}
