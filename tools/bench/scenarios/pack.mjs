// Benchmark scenario (issue 4, acceptance 4; issue 11, scenario 4): pack a generated
// 10,000-file / 100 MB module with tofu-oci-pack against `zip -r -X -q` of the same tree, run
// alternately in the same process. Goal: our time <= 1.0x zip's.
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { alternate, binOf, generateModuleTree, timeProcess } from "../lib.mjs";

export const name = "pack";

const FILES = 10_000;
const BYTES = 100 * 1000 * 1000;
const GOAL = 1.0;

/** @param {{ repetitions: number, workDir: string, log: (line: string) => void }} options */
export async function run({ repetitions, workDir, log }) {
  const tree = join(workDir, "module");
  log(`generating ${FILES} files, ${BYTES / 1e6} MB`);
  generateModuleTree(tree, { files: FILES, bytes: BYTES });
  const oursZip = join(workDir, "ours.zip");
  const zipZip = join(workDir, "zip.zip");
  // Warm the page cache and node's compile cache so neither side pays for the first read.
  await timeProcess("zip", ["-r", "-X", "-q", zipZip, "."], { cwd: tree });
  const result = await alternate(
    repetitions,
    () => timeProcess(process.execPath, [binOf("pack"), "module", tree, "-o", oursZip]),
    () => {
      rmSync(zipZip, { force: true });
      return timeProcess("zip", ["-r", "-X", "-q", zipZip, "."], { cwd: tree });
    },
    log,
  );
  const ratio = result.oursMs / result.peerMs;
  return [
    {
      scenario: "pack 10,000-file / 100 MB module",
      ours: { medianMs: Math.round(result.oursMs), peakRssMb: Math.round(result.peakRssMb) },
      peer: { name: "zip -r -X -q", medianMs: Math.round(result.peerMs) },
      ratio: Math.round(ratio * 1000) / 1000,
      goal: `time <= ${GOAL}x zip's`,
      met: ratio <= GOAL,
      notes:
        `ratio = our time / zip's; ${repetitions} alternating runs; ours is the whole tofu-oci-pack process ` +
        `(start-up, walk, .terraformignore, deflate level 1 on worker threads, sha256) vs zip's default level 6; ` +
        `zip sizes: ours ${(statSync(oursZip).size / 1e6).toFixed(1)} MB, zip ${(statSync(zipZip).size / 1e6).toFixed(1)} MB; ` +
        `all runs ms: ours ${result.allOurs.map(Math.round).join(", ")}; zip ${result.allPeer.map(Math.round).join(", ")}`,
    },
  ];
}
