// Benchmark scenario: `tofu-oci-mirror providers` re-run when the mirror already has every
// version (issue 8): nothing may be downloaded or uploaded, and 10 provider versions must take
// < 2 s in total (process start-up included). There is no peer tool for this, so the rows report
// absolute times with peer null; further rows show how the time grows with the version count.
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const name = "mirror";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MIRROR_BIN = join(root, "packages", "mirror", "dist", "bin.js");
const PLATFORMS = ["linux_amd64", "darwin_arm64"];
const GOAL_MS = 2000;
const GOAL_VERSIONS = 10;
const GROWTH = [1, 10, 40];

/** testkit's process runner, loaded with testkit in `run`. */
let exec;

/**
 * @param {{ repetitions: number, workDir: string, registry: { host: string, plainHttp?: boolean, caFile?: string, username?: string, password?: string }, log: (line: string) => void }} options
 */
export async function run({ repetitions, registry, log }) {
  const { startProviderRegistry, runProcess } = await import(pathToFileURL(join(root, "tools", "testkit", "dist", "index.js")).href);
  exec = (command, args, stdin) => runProcess(command, args, { stdin, timeoutMs: 300_000 });
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
  const args = ["providers", `${source.host}/bench/thing@>= 0.0.0`, "--to", template, ...PLATFORMS.flatMap((p) => ["--platform", p]), "--source-plain-http", ...registryFlags(registry), "--format", "json", "--quiet"];
  const first = await mirrorOnce(args, registry);
  if (first.records.length !== versions) throw new Error(`the first mirror run gave ${first.records.length} records for ${versions} versions`);
  const times = [];
  let peakRssMb = 0;
  const servedBefore = source.bytesServed();
  for (let i = 0; i < repetitions; i++) {
    const again = await mirrorOnce(args, registry);
    const moved = again.records.filter((r) => !r.unchanged || r.bytesDownloaded !== 0 || r.bytesUploaded !== 0);
    if (moved.length > 0) throw new Error(`a re-run transferred content: ${JSON.stringify(moved[0])}`);
    times.push(again.ms);
    peakRssMb = Math.max(peakRssMb, again.rssMb);
    log(`mirror: ${versions} versions, re-run ${i + 1}/${repetitions}: ${again.ms.toFixed(0)} ms, ${again.rssMb.toFixed(1)} MB RSS`);
  }
  if (source.bytesServed() !== servedBefore) throw new Error("a re-run downloaded provider packages");
  const medianMs = median(times);
  const goal = versions === GOAL_VERSIONS ? `< ${GOAL_MS} ms in total` : `none (growth: compare with the ${GOAL_VERSIONS}-version row)`;
  return {
    scenario: `mirror providers re-run, nothing new, ${versions} version${versions === 1 ? "" : "s"} x ${PLATFORMS.length} platforms`,
    ours: { medianMs: Math.round(medianMs), peakRssMb: Math.round(peakRssMb * 10) / 10 },
    peer: null,
    ratio: null,
    goal,
    met: versions === GOAL_VERSIONS ? medianMs < GOAL_MS : true,
    notes:
      `whole tofu-oci-mirror process (start-up, discovery, versions, per-platform metadata, SHA256SUMS + signature check, ` +
      `index and manifest reads at the destination); 0 bytes downloaded and uploaded checked on every run; ` +
      `${(medianMs / versions).toFixed(0)} ms per version`,
  };
}

async function mirrorOnce(args, registry) {
  const started = process.hrtime.bigint();
  const stdin = registry.username ? `${registry.password}\n` : "";
  const { code, stdout, stderr } = await exec("/usr/bin/time", ["-f", "RSS_KB=%M", process.execPath, MIRROR_BIN, ...args], stdin);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) throw new Error(`tofu-oci-mirror failed (${code}): ${stderr}`);
  const records = stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line));
  const rssKb = Number(/RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { ms, rssMb: rssKb / 1024, records };
}

function registryFlags(registry) {
  const flags = registry.plainHttp === false ? ["--ca-file", registry.caFile] : ["--plain-http"];
  return registry.username ? [...flags, "-u", registry.username, "--password-stdin"] : flags;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
