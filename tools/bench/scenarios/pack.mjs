// Benchmark scenario (issue 4, acceptance 4; issue 11, scenario 4; issue 19): pack a module with
// tofu-oci-pack against `zip -r -X -q` of the same tree, run alternately in the same process, on
// two trees of 10,000 files: generated word soup (100 MB, compresses ~3x) and text-heavy
// OpenTofu-like configuration (109 MB, compresses ~10x; zip(1)'s deflate is much faster on such
// text than on the word soup, fflate's much less). Goal: our time <= 1.0x zip's.
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { terraformTree } from "../data.mjs";
import { alternate, binOf, generateModuleTree, listMs, timeProcess } from "../lib.mjs";

export const name = "pack";

const FILES = 10_000;
const GOAL = 1.0;
const TREES = [
  {
    scenario: "pack 10,000-file / 100 MB module",
    dir: "module",
    make: (dir) => generateModuleTree(dir, { files: FILES, bytes: 100 * 1000 * 1000 }),
  },
  {
    scenario: "pack 10,000-file / 109 MB module, text-heavy",
    dir: "text-module",
    make: (dir) => terraformTree(dir, { files: FILES, bytes: 109 * 1000 * 1000 }),
  },
];

/** @param {{ repetitions: number, workDir: string, log: (line: string) => void }} options */
export async function run({ repetitions, workDir, log }) {
  const rows = [];
  for (const tree of TREES)
    rows.push(await measure(tree, { repetitions, workDir, log: (line) => log(`${tree.dir}: ${line}`) }));
  return rows;
}

async function measure({ scenario, dir, make }, { repetitions, workDir, log }) {
  const tree = join(workDir, dir);
  log(`generating ${scenario}`);
  make(tree);
  const oursZip = join(workDir, `${dir}-ours.zip`);
  const zipZip = join(workDir, `${dir}-zip.zip`);
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
  rmSync(tree, { recursive: true, force: true });
  const ratio = result.oursMs / result.peerMs;
  return {
    scenario,
    ours: { medianMs: Math.round(result.oursMs), peakRssMb: Math.round(result.peakRssMb) },
    peer: { name: "zip -r -X -q", medianMs: Math.round(result.peerMs) },
    ratio: Math.round(ratio * 1000) / 1000,
    goal: `time <= ${GOAL}x zip's`,
    met: ratio <= GOAL,
    notes:
      `ratio = our time / zip's; ${repetitions} alternating runs; ours is the whole tofu-oci-pack process ` +
      `(start-up, walk, .terraformignore, deflate level 1 on worker threads, sha256) vs zip's default level 6 on one thread; ` +
      `CPU (user + system, medians): ours ${Math.round(result.oursCpuMs)} ms, zip ${Math.round(result.peerCpuMs)} ms; ` +
      `zip sizes: ours ${(statSync(oursZip).size / 1e6).toFixed(1)} MB, zip ${(statSync(zipZip).size / 1e6).toFixed(1)} MB; ` +
      `all runs ms: ours ${listMs(result.allOurs)}; zip ${listMs(result.allPeer)}`,
  };
}
