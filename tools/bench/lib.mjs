// Shared helpers for benchmark scenarios (tools/bench/scenarios/*.mjs): time a child process and
// read its peak RSS, take medians, generate test trees, print the results table.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
 * %M, in MB) and its output. Rejects when it exits non-zero, with its stderr.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, stdin?: string | Buffer }} [options]
 * @returns {Promise<{ ms: number, peakRssMb: number, stdout: string, stderr: string }>}
 */
export function timeProcess(command, args, options = {}) {
  const rssFile = join(tmpdir(), `tofu-oci-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-o", rssFile, "-f", "%M", command, ...args], {
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
      const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : NaN;
      rmSync(rssFile, { force: true });
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.trim().slice(-2000)}`));
      else resolve({ ms, peakRssMb: rssKb / 1024, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");
  });
}

/**
 * Runs `ours` and `peer` alternately `repetitions` times (so load from elsewhere hits both
 * alike) and returns their times and our peak RSS.
 * @param {number} repetitions
 * @param {() => Promise<{ ms: number, peakRssMb: number }>} ours
 * @param {() => Promise<{ ms: number }>} peer
 * @param {(line: string) => void} [log]
 */
export async function alternate(repetitions, ours, peer, log = () => {}) {
  const oursMs = [];
  const peerMs = [];
  let peakRssMb = 0;
  for (let i = 0; i < repetitions; i++) {
    const mine = await ours();
    const theirs = await peer();
    oursMs.push(mine.ms);
    peerMs.push(theirs.ms);
    peakRssMb = Math.max(peakRssMb, mine.peakRssMb);
    log(`run ${i + 1}/${repetitions}: ours ${mine.ms.toFixed(0)} ms (${mine.peakRssMb.toFixed(0)} MB RSS), peer ${theirs.ms.toFixed(0)} ms`);
  }
  return { oursMs: median(oursMs), peerMs: median(peerMs), peakRssMb, allOurs: oursMs, allPeer: peerMs };
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
  const words = ["resource", "variable", "output", "module", "locals", "aws_vpc", "cidr_block", "subnet_id", "tags", "name", "count", "for_each", "depends_on", "true", "false", "var.", "local.", '"10.0.0.0/16"', "=", "{", "}", "\n", "  "];
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const parts = [];
  let length = 0;
  while (length < size) {
    const word = words[next() % words.length] + (next() % 10 < 3 ? (next() % 1_000_000).toString(36) : "") + " ";
    parts.push(word);
    length += word.length;
  }
  return parts.join("").slice(0, size);
}

/** Formats result rows as a plain-text table. */
export function formatTable(rows) {
  const header = ["scenario", "ours (median)", "peer", "peer (median)", "ratio", "our peak RSS", "goal", "met"];
  const lines = rows.map((row) => [
    row.scenario,
    `${row.ours.medianMs} ms`,
    row.peer.name,
    `${row.peer.medianMs} ms`,
    `${row.ratio}x`,
    row.ours.peakRssMb === undefined ? "-" : `${row.ours.peakRssMb} MB`,
    row.goal,
    row.met ? "yes" : "NO",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => String(line[column]).length)));
  const format = (cells) => cells.map((cell, column) => String(cell).padEnd(widths[column])).join("  ").trimEnd();
  return [format(header), widths.map((width) => "-".repeat(width)).join("  "), ...lines.map(format)].join("\n");
}
