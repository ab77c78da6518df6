#!/usr/bin/env node
// The benchmark runner behind `pnpm bench` (issue 11): starts a real plain-HTTP registry, runs
// every scenario in tools/bench/scenarios/*.mjs (or those named by --only), prints a table and the
// total time, and writes bench-results/results.json.
//   node tools/bench/run.mjs [--only NAME]... [--repetitions N]
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ROOT, formatTable, testkit } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    repetitions: { type: "string", default: "5" },
    "keep-work-dir": { type: "boolean", default: false },
  },
});
const repetitions = Number(values.repetitions);
if (!Number.isInteger(repetitions) || repetitions < 1) {
  process.stderr.write(`--repetitions must be a whole number >= 1, got ${values.repetitions}\n`);
  process.exit(2);
}

const log = (line) => process.stderr.write(`${line}\n`);
const scenarios = await loadScenarios(values.only);
const { startRegistry } = await testkit();
const workDir = mkdtempSync(join(tmpdir(), "tofu-oci-bench-"));
const registry = await startRegistry({ mode: "plain", workDir: join(workDir, "registry") });
log(`registry ${registry.url}, work dir ${workDir}, ${repetitions} repetitions`);

const rows = [];
const failures = [];
const sharedDir = join(workDir, "shared");
const benchStarted = Date.now();
const loadBefore = loadavg();
try {
  for (const scenario of scenarios) {
    log(`\n== ${scenario.name}`);
    const scenarioDir = join(workDir, scenario.name);
    mkdirSync(scenarioDir, { recursive: true });
    const started = Date.now();
    try {
      const result = await scenario.run({
        repetitions,
        workDir: scenarioDir,
        sharedDir,
        registry,
        log: (line) => log(`${scenario.name}: ${line}`),
      });
      rows.push(...result);
    } catch (error) {
      failures.push({ scenario: scenario.name, error: error.message });
      log(`${scenario.name} failed: ${error.stack ?? error.message}`);
    }
    log(`${scenario.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await registry.stop();
  if (!values["keep-work-dir"]) rmSync(workDir, { recursive: true, force: true });
}

const totalSeconds = Math.round((Date.now() - benchStarted) / 1000);
process.stdout.write(`\n${formatTable(rows)}\n`);
for (const row of rows) if (row.notes) process.stdout.write(`\n${row.scenario}: ${row.notes}`);
process.stdout.write(
  `\n\ntotal: ${totalSeconds} s for ${scenarios.map((s) => s.name).join(", ")} (${repetitions} repetitions)\n`,
);
const resultsDir = join(ROOT, "bench-results");
mkdirSync(resultsDir, { recursive: true });
const machine = {
  node: process.version,
  cpus: cpus().length,
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadavg(),
};
process.stdout.write(
  `load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(", ")}; after ${machine.loadAverageAfter.map((l) => l.toFixed(2)).join(", ")} on ${machine.cpus} CPUs\n`,
);
writeFileSync(
  join(resultsDir, "results.json"),
  `${JSON.stringify({ date: new Date().toISOString(), repetitions, totalSeconds, machine, rows, failures }, null, 2)}\n`,
);
log(`wrote ${join(resultsDir, "results.json")}`);
process.exitCode = failures.length > 0 ? 1 : 0;

/** Imports every scenario module (sorted by file name), or only those whose `name` is listed. */
async function loadScenarios(only) {
  const dir = join(ROOT, "tools/bench/scenarios");
  const loaded = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith(".mjs"))
    .sort()) {
    const module = await import(pathToFileURL(join(dir, file)).href);
    if (typeof module.name !== "string" || typeof module.run !== "function")
      throw new Error(`${file} must export name and run()`);
    loaded.push(module);
  }
  const chosen = only ? loaded.filter((scenario) => only.includes(scenario.name)) : loaded;
  const unknown = (only ?? []).filter((name) => !loaded.some((scenario) => scenario.name === name));
  if (unknown.length > 0)
    throw new Error(`no scenario named ${unknown.join(", ")}; there are: ${loaded.map((s) => s.name).join(", ")}`);
  return chosen;
}
