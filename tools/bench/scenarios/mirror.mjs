// Benchmark scenario: `tofu-oci-mirror providers` re-run when the mirror already has every
// version (issue 8): nothing may be downloaded or uploaded, and 10 provider versions must take
// < 2 s in total (process start-up included). There is no peer tool for this, so the rows report
// absolute times with peer null; further rows show how the time grows with the version count.
import { randomBytes } from "node:crypto";
import { median, registryFlags, round, testkit, timeBin } from "../lib.mjs";

export const name = "mirror";

const PLATFORMS = ["linux_amd64", "darwin_arm64"];
const GOAL_MS = 2000;
const GOAL_VERSIONS = 10;
const GROWTH = [1, 10, 40];

/**
 * @param {{ repetitions: number, workDir: string, registry: { host: string, plainHttp?: boolean, caFile?: string, username?: string, password?: string }, log: (line: string) => void }} options
 */
export async function run({ repetitions, registry, log }) {
  const { startProviderRegistry } = await testkit();
  const rows = [];
  for (const versions of GROWTH) {
    const source = await startProviderRegistry({ providers: [benchProvider(versions)] });
    try {
      rows.push(await measure({ versions, source, registry, repetitions, log }));
    } finally {
      await source.stop();
    }
  }
  return rows;
}

/** A provider with `count` versions whose zips hold 1 MiB of random bytes each. */
function benchProvider(count) {
  const executable = randomBytes(1024 * 1024);
  return {
    namespace: "bench",
    type: "thing",
    versions: Array.from({ length: count }, (_, i) => ({ version: `1.${i}.0`, platforms: PLATFORMS })),
    executable: (version, platform) => Buffer.concat([executable, Buffer.from(`${version} ${platform}`)]),
  };
}

async function measure({ versions, source, registry, repetitions, log }) {
  const template = `${registry.host}/bench/mirror-${process.pid}-${Date.now()}-${versions}/\${namespace}/\${type}`;
  const args = ["providers", `${source.host}/bench/thing@>= 0.0.0`, "--to", template, ...PLATFORMS.flatMap((p) => ["--platform", p]), "--source-plain-http", ...registryFlags(registry)];
  const first = await timeBin("mirror", args);
  if (first.records.length !== versions) throw new Error(`the first mirror run gave ${first.records.length} records for ${versions} versions`);
  const times = [];
  let peakRssMb = 0;
  const servedBefore = source.bytesServed();
  for (let i = 0; i < repetitions; i++) {
    const again = await timeBin("mirror", args);
    const moved = again.records.filter((r) => !r.unchanged || r.bytesDownloaded !== 0 || r.bytesCopied !== 0);
    if (moved.length > 0) throw new Error(`a re-run transferred content: ${JSON.stringify(moved[0])}`);
    times.push(again.ms);
    peakRssMb = Math.max(peakRssMb, again.peakRssMb);
    log(`${versions} versions, re-run ${i + 1}/${repetitions}: ${again.ms.toFixed(0)} ms, ${again.peakRssMb.toFixed(1)} MB RSS`);
  }
  if (source.bytesServed() !== servedBefore) throw new Error("a re-run downloaded provider packages");
  const medianMs = median(times);
  const goal = versions === GOAL_VERSIONS ? `< ${GOAL_MS} ms in total` : `none (growth: compare with the ${GOAL_VERSIONS}-version row)`;
  return {
    scenario: `mirror providers re-run, nothing new, ${versions} version${versions === 1 ? "" : "s"} x ${PLATFORMS.length} platforms`,
    ours: { medianMs: Math.round(medianMs), peakRssMb: round(peakRssMb, 1) },
    peer: null,
    ratio: null,
    goal,
    met: versions === GOAL_VERSIONS ? medianMs < GOAL_MS : true,
    notes:
      `whole tofu-oci-mirror process (start-up, discovery, versions, per-platform metadata, SHA256SUMS + signature check, ` +
      `index and manifest reads at the destination); 0 bytes downloaded and uploaded checked on every run; ` +
      `${(medianMs / versions).toFixed(0)} ms per version; the first run (everything new, ${versions * PLATFORMS.length} MiB) took ${Math.round(first.ms)} ms`,
  };
}
