// Shared helpers for benchmark scenarios (tools/bench/scenarios/*.mjs): time a child process and
// read its peak RSS, take medians, generate test trees, print the results table.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The workspace root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The built bin of a workspace package, e.g. `binOf("pack")`. */
export function binOf(pkg) {
  return join(ROOT, "packages", pkg, "dist", "bin.js");
}

/** The median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs a command to completion under GNU time and returns its wall time, its peak RSS (GNU time's
 * %M, in MB), its CPU time (user + system, which load from elsewhere disturbs less than wall time)
 * and its output. Rejects when it exits non-zero, with its stderr.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, stdin?: string | Buffer }} [options]
 * @returns {Promise<{ ms: number, peakRssMb: number, cpuMs: number, stdout: string, stderr: string }>}
 */
export function timeProcess(command, args, options = {}) {
  const rssFile = join(tmpdir(), `tofu-oci-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-o", rssFile, "-f", "%M %U %S", command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const [rssKb, user, system] = existsSync(rssFile)
        ? readFileSync(rssFile, "utf8").trim().split("\n").pop().split(" ").map(Number)
        : [NaN, NaN, NaN];
      rmSync(rssFile, { force: true });
      if (code !== 0)
        reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.trim().slice(-2000)}`));
      else resolve({ ms, peakRssMb: rssKb / 1024, cpuMs: (user + system) * 1000, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");
  });
}

/**
 * Runs `ours` and `peer` alternately `repetitions` times, swapping who goes first each time (so
 * load from elsewhere and cache effects hit both alike), and returns their median times, all
 * times, our peak RSS and the median CPU times (user + system; NaN for a side that does not report
 * `cpuMs`). Each function gets the repetition index; `before` runs before each.
 * @param {number} repetitions
 * @param {(i: number) => Promise<{ ms: number, peakRssMb: number, cpuMs?: number }>} ours
 * @param {(i: number) => Promise<{ ms: number, cpuMs?: number }>} peer
 * @param {(line: string) => void} [log]
 * @param {{ before?: () => Promise<unknown> }} [options]
 */
export async function alternate(repetitions, ours, peer, log = () => {}, { before = async () => {} } = {}) {
  const oursMs = [];
  const peerMs = [];
  const oursCpuMs = [];
  const peerCpuMs = [];
  let peakRssMb = 0;
  for (let i = 0; i < repetitions; i++) {
    const runOurs = async () => (await before(), ours(i));
    const runPeer = async () => (await before(), peer(i));
    let mine;
    let theirs;
    if (i % 2 === 0) {
      mine = await runOurs();
      theirs = await runPeer();
    } else {
      theirs = await runPeer();
      mine = await runOurs();
    }
    oursMs.push(mine.ms);
    peerMs.push(theirs.ms);
    oursCpuMs.push(mine.cpuMs ?? Number.NaN);
    peerCpuMs.push(theirs.cpuMs ?? Number.NaN);
    peakRssMb = Math.max(peakRssMb, mine.peakRssMb);
    log(
      `run ${i + 1}/${repetitions}: ours ${mine.ms.toFixed(0)} ms (${mine.peakRssMb.toFixed(0)} MB RSS), peer ${theirs.ms.toFixed(0)} ms`,
    );
  }
  return {
    oursMs: median(oursMs),
    peerMs: median(peerMs),
    peakRssMb,
    allOurs: oursMs,
    allPeer: peerMs,
    oursCpuMs: median(oursCpuMs),
    peerCpuMs: median(peerCpuMs),
  };
}

/** Runs `ours` `repetitions` times (no peer): median time, all times, peak RSS. */
export async function repeat(repetitions, ours, log = () => {}) {
  const times = [];
  let peakRssMb = 0;
  for (let i = 0; i < repetitions; i++) {
    const mine = await ours(i);
    times.push(mine.ms);
    peakRssMb = Math.max(peakRssMb, mine.peakRssMb);
    log(`run ${i + 1}/${repetitions}: ours ${mine.ms.toFixed(0)} ms (${mine.peakRssMb.toFixed(0)} MB RSS)`);
  }
  return { oursMs: median(times), peakRssMb, allOurs: times };
}

/** "a, b, c" of rounded times, for notes. */
export function listMs(times) {
  return times.map(Math.round).join(", ");
}

/**
 * Writes a module-like tree of `files` text files adding up to about `bytes`, spread over
 * nested directories, plus a root `main.tf`. The content is deterministic HCL-like text that
 * compresses about 3x, like real modules; every file differs.
 * @param {string} dir
 * @param {{ files: number, bytes: number, seed?: number }} options
 */
export function generateModuleTree(dir, { files, bytes, seed = 1 }) {
  mkdirSync(dir, { recursive: true });
  const pool = textPool(seed, 2 * 1024 * 1024);
  const perFile = Math.max(1, Math.floor(bytes / files));
  let state = seed;
  for (let i = 0; i < files; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const sub = join(dir, `group-${i % 40}`, `part-${i % 7}`);
    if (i < 280) mkdirSync(sub, { recursive: true });
    const header = `# file ${i}\n`;
    const start = state % (pool.length - perFile);
    writeFileSync(join(sub, `file-${i}.tf`), header + pool.slice(start, start + Math.max(0, perFile - header.length)));
  }
  writeFileSync(join(dir, "main.tf"), 'variable "name" {\n  type = string\n}\n');
}

function textPool(seed, size) {
  const words = [
    "resource",
    "variable",
    "output",
    "module",
    "locals",
    "aws_vpc",
    "cidr_block",
    "subnet_id",
    "tags",
    "name",
    "count",
    "for_each",
    "depends_on",
    "true",
    "false",
    "var.",
    "local.",
    '"10.0.0.0/16"',
    "=",
    "{",
    "}",
    "\n",
    "  ",
  ];
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const parts = [];
  let length = 0;
  while (length < size) {
    const word = `${words[next() % words.length] + (next() % 10 < 3 ? (next() % 1_000_000).toString(36) : "")} `;
    parts.push(word);
    length += word.length;
  }
  return parts.join("").slice(0, size);
}

/** Formats result rows as a plain-text table; rows without a peer show "-" in the peer columns. */
export function formatTable(rows) {
  const header = [
    "scenario",
    "ours (median)",
    "peer",
    "peer (median)",
    "ratio",
    "ours - peer",
    "our peak RSS",
    "goal",
    "met",
  ];
  const lines = rows.map((row) => [
    row.scenario,
    `${row.ours.medianMs} ms`,
    row.peer?.name ?? "-",
    row.peer ? `${row.peer.medianMs} ms` : "-",
    row.ratio === null || row.ratio === undefined ? "-" : `${row.ratio}x`,
    row.peer ? `${row.ours.medianMs - row.peer.medianMs} ms` : "-",
    row.ours.peakRssMb === undefined ? "-" : `${row.ours.peakRssMb} MB`,
    row.goal,
    row.met ? "yes" : "NO",
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => String(line[column]).length)),
  );
  const format = (cells) =>
    cells
      .map((cell, column) => String(cell).padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [format(header), widths.map((width) => "-".repeat(width)).join("  "), ...lines.map(format)].join("\n");
}

/** `value` rounded to `digits` decimals. */
export function round(value, digits = 0) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** MiB per second for `bytes` in `ms`. */
export function mibPerSecond(bytes, ms) {
  return round(bytes / 1024 ** 2 / (ms / 1000));
}

/** The tofu-oci registry flags that reach a testkit registry (TLS trust, credentials). */
export function registryFlags(registry) {
  const flags =
    registry.plainHttp === false ? (registry.caFile ? ["--ca-file", registry.caFile] : []) : ["--plain-http"];
  return registry.username ? [...flags, "-u", registry.username, "-p", registry.password] : flags;
}

/** tools/testkit's built module (registries, provider registries). */
export function testkit() {
  return import(pathToFileURL(join(ROOT, "tools", "testkit", "dist", "index.js")).href);
}

/** A repository name no earlier run used. */
export function uniqueName(prefix) {
  return `bench/${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Runs a built tofu-oci bin under GNU time with JSON output; returns its records too. */
export async function timeBin(pkg, args, options = {}) {
  const result = await timeProcess(process.execPath, [binOf(pkg), ...args, "--format", "json", "--quiet"], options);
  return {
    ...result,
    records: result.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  };
}
