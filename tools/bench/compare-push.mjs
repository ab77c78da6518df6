#!/usr/bin/env node
// Before/after comparison of tofu-oci-push between this workspace's build and another checkout's
// (issue 15's acceptance: the default upload strategy changed). Both push the same layer to the
// same registry, alternating and swapping who goes first, `sync` before each run, each into a
// fresh repository; prints median wall and CPU time (user + system) per size.
//   node tools/bench/compare-push.mjs --baseline /path/to/other/checkout [--repetitions 7] [--size 64] [--size 1024]
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { modulePackageRecord, storedZip } from "./data.mjs";
import { ROOT, median, registryFlags, testkit, timeProcess, uniqueName } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    repetitions: { type: "string", default: "7" },
    size: { type: "string", multiple: true, default: ["64", "1024"] },
  },
});
if (!values.baseline) {
  process.stderr.write("--baseline DIR (a built checkout to compare with) is required\n");
  process.exit(2);
}
const repetitions = Number(values.repetitions);
const builds = { after: ROOT, before: values.baseline };
const log = (line) => process.stderr.write(`${line}\n`);

const { startRegistry } = await testkit();
const workDir = mkdtempSync(join(tmpdir(), "tofu-oci-compare-push-"));
const registry = await startRegistry({ mode: "plain", workDir: join(workDir, "registry") });
const loadBefore = loadavg()[0];
const rows = [];
try {
  for (const mib of values.size.map(Number)) {
    const zip = await storedZip(workDir, { name: `layer-${mib}.zip`, entry: "layer.bin", bytes: mib * 1024 ** 2 });
    const stdin = `${JSON.stringify(modulePackageRecord(zip))}\n`;
    const runs = { before: [], after: [] };
    for (let i = 0; i < repetitions; i++) {
      for (const which of i % 2 === 0 ? ["before", "after"] : ["after", "before"]) {
        await timeProcess("sync", []);
        const bin = join(builds[which], "packages", "push", "dist", "bin.js");
        const reference = `${registry.host}/${uniqueName(`compare-${which}`)}:1.0.0`;
        const result = await timeProcess(
          process.execPath,
          [bin, reference, ...registryFlags(registry), "--format", "json", "--quiet"],
          { stdin },
        );
        runs[which].push(result);
        log(`${mib} MiB ${which}: ${Math.round(result.ms)} ms wall, ${Math.round(result.cpuMs)} ms CPU`);
      }
    }
    const summary = (list) => ({
      wallMs: Math.round(median(list.map((r) => r.ms))),
      cpuMs: Math.round(median(list.map((r) => r.cpuMs))),
    });
    rows.push({
      size: `${mib} MiB`,
      before: summary(runs.before),
      after: summary(runs.after),
      runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((r) => Math.round(r.ms))])),
    });
  }
} finally {
  await registry.stop();
  rmSync(workDir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ repetitions, loadBefore, loadAfter: loadavg()[0], rows }, null, 1)}\n`);
