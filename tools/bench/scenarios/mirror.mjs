// Benchmark scenario: `tofu-oci-mirror providers` re-run when the mirror already has every
// version (issue 8): nothing may be downloaded or uploaded, and 10 provider versions must take
// < 2 s in total (process start-up included). There is no peer tool for this, so the rows report
// absolute times with peer null; further rows show how the time grows with the version count, and
// one re-runs a mirror of 4 platforms (issue 19: goal < 1 s).
import { randomBytes } from "node:crypto";
import { median, registryFlags, round, testkit, timeBin } from "../lib.mjs";

export const name = "mirror";

const TWO_PLATFORMS = ["linux_amd64", "darwin_arm64"];
const FOUR_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64"];
/** Each row: versions x platforms, and its goal in ms (none: a growth row). */
const ROWS = [
  { versions: 1, platforms: TWO_PLATFORMS },
  { versions: 10, platforms: TWO_PLATFORMS, goalMs: 2000 },
  { versions: 40, platforms: TWO_PLATFORMS },
  { versions: 10, platforms: FOUR_PLATFORMS, goalMs: 1000 },
];

/**
 * @param {{ repetitions: number, workDir: string, registry: { host: string, plainHttp?: boolean, caFile?: string, username?: string, password?: string }, log: (line: string) => void }} options
 */
export async function run({ repetitions, registry, log }) {
  const { startProviderRegistry } = await testkit();
  const rows = [];
  for (const row of ROWS) {
    const source = await startProviderRegistry({ providers: [benchProvider(row)] });
    try {
      rows.push(await measure({ ...row, source, registry, repetitions, log }));
    } finally {
      await source.stop();
    }
  }
  return rows;
}

/** A provider with `versions` versions for `platforms` whose zips hold 1 MiB of random bytes each. */
function benchProvider({ versions, platforms }) {
  const executable = randomBytes(1024 * 1024);
  return {
    namespace: "bench",
    type: "thing",
    versions: Array.from({ length: versions }, (_, i) => ({ version: `1.${i}.0`, platforms })),
    executable: (version, platform) => Buffer.concat([executable, Buffer.from(`${version} ${platform}`)]),
  };
}

async function measure({ versions, platforms, goalMs, source, registry, repetitions, log }) {
  const label = `${versions} version${versions === 1 ? "" : "s"} x ${platforms.length} platforms`;
  const template = `${registry.host}/bench/mirror-${process.pid}-${Date.now()}-${versions}x${platforms.length}/\${namespace}/\${type}`;
  const args = [
    "providers",
    `${source.host}/bench/thing@>= 0.0.0`,
    "--to",
    template,
    ...platforms.flatMap((p) => ["--platform", p]),
    "--source-plain-http",
    ...registryFlags(registry),
  ];
  const first = await timeBin("mirror", args);
  if (first.records.length !== versions)
    throw new Error(`the first mirror run gave ${first.records.length} records for ${versions} versions`);
  const times = [];
  const cpuTimes = [];
  let peakRssMb = 0;
  const servedBefore = source.bytesServed();
  for (let i = 0; i < repetitions; i++) {
    const again = await timeBin("mirror", args);
    const moved = again.records.filter((r) => !r.unchanged || r.bytesDownloaded !== 0 || r.bytesCopied !== 0);
    if (moved.length > 0) throw new Error(`a re-run transferred content: ${JSON.stringify(moved[0])}`);
    times.push(again.ms);
    cpuTimes.push(again.cpuMs);
    peakRssMb = Math.max(peakRssMb, again.peakRssMb);
    log(`${label}, re-run ${i + 1}/${repetitions}: ${again.ms.toFixed(0)} ms, ${again.peakRssMb.toFixed(1)} MB RSS`);
  }
  if (source.bytesServed() !== servedBefore) throw new Error("a re-run downloaded provider packages");
  const medianMs = median(times);
  return {
    scenario: `mirror providers re-run, nothing new, ${label}`,
    ours: { medianMs: Math.round(medianMs), peakRssMb: round(peakRssMb, 1) },
    peer: null,
    ratio: null,
    goal: goalMs ? `< ${goalMs} ms in total` : "none (growth: compare with the 10-version row)",
    met: goalMs ? medianMs < goalMs : true,
    notes:
      `whole tofu-oci-mirror process (start-up, discovery, versions, one SHA256SUMS per version compared with the one the ` +
      `mirrored index records, index and manifest reads at the destination); 0 bytes downloaded and uploaded checked on every run; ` +
      `${(medianMs / versions).toFixed(0)} ms per version; CPU (user + system, median) ${Math.round(median(cpuTimes))} ms; ` +
      `the first run (everything new, ${versions * platforms.length} MiB) took ${Math.round(first.ms)} ms`,
  };
}
