// Benchmark scenario (issue 4, acceptance 1; moved from pack's unit suite by issue 20): tofu-oci-pack's
// memory does not grow with the size of what it packs. Three trees, each packed `repetitions` times
// (at most 3): 10,000 files of 45 MB and of 100 MB in all (4.5 kB a file and more, so both compress on
// worker threads), and 256 MB in four large files. No peer: the goals are about our own peak RSS.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { binOf, generateModuleTree, listMs, repeat, round, timeProcess } from "../lib.mjs";

export const name = "pack-memory";

const FILES = 10_000;
const SMALL_BYTES = 45_000_000;
const BIG_BYTES = 100_000_000;
/** 55 MB more data may cost this much more memory: what grows is per file (the central directory), not per byte. */
const GROWTH_GOAL_MB = 30;
const BIG_GOAL_MB = 250;
const LARGE_FILES_GOAL_MB = 128;

/** @param {{ repetitions: number, workDir: string, log: (line: string) => void }} options */
export async function run({ repetitions, workDir, log }) {
  const runs = Math.min(repetitions, 3);
  const small = join(workDir, "small");
  const big = join(workDir, "big");
  const largeFiles = join(workDir, "large-files");
  log(`generating ${FILES} files of ${SMALL_BYTES / 1e6} MB and of ${BIG_BYTES / 1e6} MB, and 4 x 64 MiB files`);
  generateModuleTree(small, { files: FILES, bytes: SMALL_BYTES });
  generateModuleTree(big, { files: FILES, bytes: BIG_BYTES });
  writeLargeFiles(largeFiles);

  const pack = (dir) => () => packChecked(dir, join(workDir, "out.zip"));
  const smallRun = await repeat(runs, pack(small), log);
  const bigRun = await repeat(runs, pack(big), log);
  const largeRun = await repeat(runs, pack(largeFiles), log);
  const growth = bigRun.peakRssMb - smallRun.peakRssMb;
  return [
    {
      scenario: "pack memory: 10,000 files, 45 MB -> 100 MB",
      ours: { medianMs: Math.round(bigRun.oursMs), peakRssMb: round(bigRun.peakRssMb, 1) },
      ratio: round(bigRun.peakRssMb / smallRun.peakRssMb, 2),
      goal: `peak RSS +${GROWTH_GOAL_MB} MB at most for 100 MB over 45 MB; <= ${BIG_GOAL_MB} MB`,
      met: growth < GROWTH_GOAL_MB && bigRun.peakRssMb <= BIG_GOAL_MB,
      notes:
        `ratio = peak RSS for 100 MB / for 45 MB (${round(bigRun.peakRssMb)} / ${round(smallRun.peakRssMb)} MB, ` +
        `+${round(growth, 1)} MB); ${runs} runs each; ms: 45 MB ${listMs(smallRun.allOurs)}; 100 MB ${listMs(bigRun.allOurs)}`,
    },
    {
      scenario: "pack memory: 256 MiB in 4 files (streamed)",
      ours: { medianMs: Math.round(largeRun.oursMs), peakRssMb: round(largeRun.peakRssMb, 1) },
      goal: `peak RSS < ${LARGE_FILES_GOAL_MB} MB`,
      met: largeRun.peakRssMb < LARGE_FILES_GOAL_MB,
      notes: `4 x 64 MiB of repeated random 16 kB blocks (compressible in deflate's window); ${runs} runs, ms: ${listMs(largeRun.allOurs)}`,
    },
  ];
}

/** Packs `dir` with the built bin and checks the result is a module package record and a sound zip. */
async function packChecked(dir, output) {
  const result = await timeProcess(process.execPath, [binOf("pack"), "module", dir, "-o", output]);
  const record = JSON.parse(result.stdout);
  if (record.kind !== "package" || record.type !== "module")
    throw new Error(`unexpected pack record: ${result.stdout}`);
  await timeProcess("unzip", ["-tq", output]);
  return result;
}

function writeLargeFiles(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf"), "# large\n");
  for (let i = 0; i < 4; i++) {
    const fd = openSync(join(dir, `blob-${i}.bin`), "w");
    for (let j = 0; j < 64; j++) writeSync(fd, Buffer.concat(new Array(64).fill(randomBytes(16 * 1024))));
    closeSync(fd);
  }
}
