// Benchmark scenario (issue 11, scenario 1 and the scaling report): tofu-oci-push of a layer of
// 64 MiB, 256 MiB and 1 GiB against curl uploading the same bytes (POST + monolithic PUT) to the
// same registry, alternating, after `sync`. Goals (issue 19): >= 0.8x curl's throughput for 64 MiB,
// >= 0.95x for 256 MiB and 1 GiB, and a peak RSS <= 150 MB whatever the size.
import { modulePackageRecord, storedZip } from "../data.mjs";
import { alternate, listMs, mibPerSecond, registryFlags, round, timeBin, timeProcess, uniqueName } from "../lib.mjs";
import { curlUpload } from "../peers.mjs";

export const name = "push";

const SIZES = [
  { label: "64 MiB", bytes: 64 * 1024 ** 2, throughputGoal: 0.8 },
  { label: "256 MiB", bytes: 256 * 1024 ** 2, throughputGoal: 0.95 },
  { label: "1 GiB", bytes: 1024 ** 3, throughputGoal: 0.95 },
];
const RSS_GOAL_MB = 150;

/** @param {{ repetitions: number, sharedDir: string, registry: object, log: (line: string) => void }} options */
export async function run({ repetitions, sharedDir, registry, log }) {
  const rows = [];
  for (const size of SIZES) {
    log(`preparing a ${size.label} layer`);
    const zip = await storedZip(sharedDir, { name: `layer-${size.bytes}.zip`, entry: "layer.bin", bytes: size.bytes });
    rows.push(await measure({ size, zip, registry, repetitions, log }));
  }
  return rows;
}

async function measure({ size, zip, registry, repetitions, log }) {
  const stdin = `${JSON.stringify(modulePackageRecord(zip))}\n`;
  const result = await alternate(
    repetitions,
    () => timeBin("push", [`${registry.host}/${uniqueName("push-ours")}:1.0.0`, ...registryFlags(registry)], { stdin }),
    () => curlUpload(registry, uniqueName("push-curl"), zip),
    (line) => log(`${size.label}: ${line}`),
    { before: () => timeProcess("sync", []) },
  );
  const ratio = result.peerMs / result.oursMs;
  const rssMet = result.peakRssMb <= RSS_GOAL_MB;
  const goal = size.throughputGoal
    ? `throughput >= ${size.throughputGoal}x curl's; RSS <= ${RSS_GOAL_MB} MB`
    : `RSS <= ${RSS_GOAL_MB} MB (scaling row)`;
  return {
    scenario: `push ${size.label} layer`,
    ours: { medianMs: Math.round(result.oursMs), peakRssMb: round(result.peakRssMb, 1) },
    peer: { name: "curl POST + PUT", medianMs: Math.round(result.peerMs) },
    ratio: round(ratio, 3),
    goal,
    met: rssMet && (!size.throughputGoal || ratio >= size.throughputGoal),
    notes:
      `ratio = curl's time / ours (a throughput ratio); ${repetitions} runs, order swapped each run, sync before each, fresh repository each; ` +
      `ours = the whole tofu-oci-push process (start-up, HEADs, config blob, layer, manifest, tag) fed a pack record; ` +
      `${mibPerSecond(zip.size, result.oursMs)} MiB/s ours vs ${mibPerSecond(zip.size, result.peerMs)} MiB/s curl; ` +
      `all runs ms: ours ${listMs(result.allOurs)}; curl ${listMs(result.allPeer)}`,
  };
}
