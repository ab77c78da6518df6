// Benchmark scenario (issue 19, scale check): `tofu-oci-mirror providers` of 200 versions x 4
// platforms of a small provider from testkit's provider registry into the test registry. Rows:
// first runs of 100 and of 200 versions (time and peak RSS should grow with the new data, about
// 2x), a re-run of the 200 with nothing new (flat: no download, no upload), and a run that finds
// 20 new versions beside the 200 (time of the 20 only). There is no peer; each row runs once
// (the first runs cannot be repeated without a new destination), the re-run `repetitions` times.
import { randomBytes } from "node:crypto";
import { median, registryFlags, round, testkit, timeBin } from "../lib.mjs";

export const name = "mirror-scale";

const PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64"];
const VERSIONS = 220;
/** Bytes of each platform's executable (a small provider). */
const EXECUTABLE_BYTES = 64 * 1024;

/** @param {{ repetitions: number, registry: { host: string }, log: (line: string) => void }} options */
export async function run({ repetitions, registry, log }) {
  const { startProviderRegistry } = await testkit();
  const executable = randomBytes(EXECUTABLE_BYTES);
  const source = await startProviderRegistry({
    providers: [
      {
        namespace: "scale",
        type: "thing",
        versions: Array.from({ length: VERSIONS }, (_, i) => ({ version: `1.${i}.0`, platforms: PLATFORMS })),
        executable: (version, platform) => Buffer.concat([executable, Buffer.from(`${version} ${platform}`)]),
      },
    ],
  });
  try {
    const destination = (label) =>
      `${registry.host}/bench/scale-${process.pid}-${Date.now()}-${label}/\${namespace}/\${type}`;
    const mirror = (constraint, template) =>
      timeBin("mirror", [
        "providers",
        `${source.host}/scale/thing@${constraint}`,
        "--to",
        template,
        ...PLATFORMS.flatMap((p) => ["--platform", p]),
        "--source-plain-http",
        ...registryFlags(registry),
      ]);
    const rows = [];
    const hundred = await mirror("< 1.100.0", destination("100"));
    rows.push(row("first run, 100 versions x 4 platforms", hundred, 100, expectMoved(hundred, 100), log));
    const template = destination("200");
    const first = await mirror("< 1.200.0", template);
    rows.push(
      row(
        "first run, 200 versions x 4 platforms",
        first,
        200,
        expectMoved(first, 200),
        log,
        `${round(first.ms / hundred.ms, 2)}x the 100-version run's time`,
      ),
    );
    const reruns = [];
    for (let i = 0; i < repetitions; i++) reruns.push(await mirror("< 1.200.0", template));
    for (const again of reruns) expectUnchanged(again, 200);
    const rerun = {
      ...reruns[0],
      ms: median(reruns.map((r) => r.ms)),
      cpuMs: median(reruns.map((r) => r.cpuMs)),
      peakRssMb: Math.max(...reruns.map((r) => r.peakRssMb)),
    };
    rows.push(
      row(
        "re-run, 200 versions x 4 platforms, nothing new",
        rerun,
        200,
        "0 bytes downloaded and uploaded",
        log,
        `median of ${repetitions}`,
      ),
    );
    const grown = await mirror("< 1.220.0", template);
    const moved = grown.records.filter((r) => r.unchanged === false);
    if (moved.length !== 20) throw new Error(`the run with 20 new versions changed ${moved.length} versions`);
    rows.push(
      row(
        "run with 20 new versions beside the 200",
        grown,
        220,
        "20 versions pushed, 200 unchanged",
        log,
        `${round(grown.ms / first.ms, 2)}x the first 200-version run's time`,
      ),
    );
    return rows;
  } finally {
    await source.stop();
  }
}

function expectMoved(result, versions) {
  if (result.records.length !== versions || result.records.some((r) => r.unchanged !== false)) {
    throw new Error(`a first run gave ${result.records.length} records for ${versions} new versions`);
  }
  return `${versions} versions pushed`;
}

function expectUnchanged(result, versions) {
  const moved = result.records.filter((r) => !r.unchanged || r.bytesDownloaded !== 0 || r.bytesCopied !== 0);
  if (result.records.length !== versions || moved.length > 0)
    throw new Error(`a re-run moved content: ${JSON.stringify(moved[0] ?? result.records.length)}`);
}

function row(label, result, versions, what, log, extra = "") {
  log(
    `${label}: ${Math.round(result.ms)} ms, CPU ${Math.round(result.cpuMs)} ms, ${round(result.peakRssMb, 1)} MB peak RSS`,
  );
  return {
    scenario: `mirror providers scale: ${label}`,
    ours: { medianMs: Math.round(result.ms), peakRssMb: round(result.peakRssMb, 1) },
    peer: null,
    ratio: null,
    goal: "none (scale: first runs linear in new data, re-run flat)",
    met: true,
    notes:
      `whole tofu-oci-mirror process; ${what}; ${(result.ms / versions).toFixed(1)} ms per version; CPU (user + system) ${Math.round(result.cpuMs)} ms` +
      (extra ? `; ${extra}` : ""),
  };
}
