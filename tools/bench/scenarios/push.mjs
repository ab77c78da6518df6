// Benchmark scenario: push a 1 GiB layer with tofu-oci-push against a plain curl upload
// (POST + monolithic PUT) of the same bytes to the same registry, alternating runs; plus the
// peak RSS of our process (GNU time's %M). Goals (issue 5): >= 0.9x curl's throughput and
// <= 150 MB RSS, independent of the layer size.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";

export const name = "push";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PUSH_BIN = join(root, "packages", "push", "dist", "bin.js");
const LAYER_BYTES = 1024 ** 3;
const THROUGHPUT_GOAL = 0.9;
const RSS_GOAL_MB = 150;

/**
 * @param {{ repetitions: number, workDir: string, registry: { host: string, plainHttp?: boolean, caFile?: string, username?: string, password?: string }, log: (line: string) => void }} options
 */
export async function run({ repetitions, workDir, registry, log }) {
  const layer = await layerPackage(workDir, log);
  const ours = [];
  const curl = [];
  let peakRssMb = 0;
  for (let i = 0; i < repetitions; i++) {
    const id = `${process.pid}-${Date.now()}-${i}`;
    // Alternate who goes first; flush the previous run's writes so neither pays for the other's.
    const runOurs = async () => {
      await exec("sync", []);
      const mine = await pushWithOurs(layer, registry, `bench/push-ours-${id}`);
      peakRssMb = Math.max(peakRssMb, mine.rssMb);
      ours.push(mine.ms);
      return mine;
    };
    const runCurl = async () => {
      await exec("sync", []);
      curl.push(await pushWithCurl(layer, registry, `bench/push-curl-${id}`));
    };
    const mine = i % 2 === 0 ? await runOurs().then(async (m) => (await runCurl(), m)) : await runCurl().then(runOurs);
    log(`push: run ${i + 1}/${repetitions}: ours ${mine.ms.toFixed(0)} ms (${mine.rssMb.toFixed(1)} MB RSS), curl ${curl.at(-1).toFixed(0)} ms`);
  }
  const oursMs = median(ours);
  const curlMs = median(curl);
  const ratio = curlMs / oursMs;
  return [
    {
      scenario: "push 1 GiB layer",
      ours: { medianMs: Math.round(oursMs), peakRssMb: Math.round(peakRssMb * 10) / 10 },
      peer: { name: "curl (POST + PUT)", medianMs: Math.round(curlMs) },
      ratio: Math.round(ratio * 1000) / 1000,
      goal: `throughput >= ${THROUGHPUT_GOAL}x curl's; peak RSS <= ${RSS_GOAL_MB} MB`,
      met: ratio >= THROUGHPUT_GOAL && peakRssMb <= RSS_GOAL_MB,
      notes:
        `ratio = curl time / our time; ${repetitions} runs in alternating order after sync, fresh repository each; ours = the whole ` +
        `tofu-oci-push process (start-up, HEADs, config blob, layer, manifest, tag) fed a pack record; ` +
        `${(LAYER_BYTES / 1024 ** 2 / (oursMs / 1000)).toFixed(0)} MiB/s ours vs ${(LAYER_BYTES / 1024 ** 2 / (curlMs / 1000)).toFixed(0)} MiB/s curl`,
    },
  ];
}

/** A 1 GiB module zip (one stored entry) and its package record, made once per work dir. */
async function layerPackage(workDir, log) {
  const file = join(workDir, "push-1gib.zip");
  const recordFile = `${file}.record.json`;
  if (existsSync(recordFile) && existsSync(file)) {
    const record = JSON.parse(readFileSync(recordFile, "utf8"));
    if (statSync(file).size === record.size) return record;
  }
  log("push: writing a 1 GiB zip layer");
  const chunk = randomBytes(8 * 1024 * 1024);
  const chunks = LAYER_BYTES / chunk.length;
  let crc = 0;
  for (let i = 0; i < chunks; i++) crc = crc32(chunk, crc);
  const name = Buffer.from("layer.bin");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt16LE(33, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(LAYER_BYTES, 18);
  local.writeUInt32LE(LAYER_BYTES, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt16LE(33, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(LAYER_BYTES, 20);
  central.writeUInt32LE(LAYER_BYTES, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + LAYER_BYTES, 16);

  const hash = createHash("sha256");
  const out = createWriteStream(file);
  const write = async (buffer) => {
    hash.update(buffer);
    if (!out.write(buffer)) await once(out, "drain");
  };
  await write(Buffer.concat([local, name]));
  for (let i = 0; i < chunks; i++) await write(chunk);
  await write(Buffer.concat([central, name, end]));
  out.end();
  await once(out, "finish");
  const record = { kind: "package", type: "module", file, digest: `sha256:${hash.digest("hex")}`, size: statSync(file).size, mediaType: "archive/zip", files: 1 };
  writeFileSync(recordFile, JSON.stringify(record));
  return record;
}

function registryFlags(registry) {
  const flags = registry.plainHttp === false ? (registry.caFile ? ["--ca-file", registry.caFile] : []) : ["--plain-http"];
  return registry.username ? [...flags, "-u", registry.username, "-p", registry.password] : flags;
}

/** Our bin under GNU time: wall time and peak RSS of the whole process. */
async function pushWithOurs(layer, registry, repository) {
  const started = process.hrtime.bigint();
  const { code, stderr } = await exec("/usr/bin/time", ["-f", "RSS_KB=%M", process.execPath, PUSH_BIN, `${registry.host}/${repository}:1.0.0`, ...registryFlags(registry), "--format", "json", "--quiet"], `${JSON.stringify(layer)}\n`);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) throw new Error(`tofu-oci-push failed (${code}): ${stderr}`);
  const rssKb = Number(/RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { ms, rssMb: rssKb / 1024 };
}

/** curl: POST to start an upload, then one PUT of the file with the digest, as a plain client would. */
async function pushWithCurl(layer, registry, repository) {
  const scheme = registry.plainHttp === false ? "https" : "http";
  const common = ["-sS", "-f", ...(registry.caFile ? ["--cacert", registry.caFile] : []), ...(registry.username ? ["-u", `${registry.username}:${registry.password}`] : [])];
  const started = process.hrtime.bigint();
  const post = await exec("curl", [...common, "-X", "POST", "-D", "-", "-o", "/dev/null", `${scheme}://${registry.host}/v2/${repository}/blobs/uploads/`]);
  const location = /^location:\s*(\S+)/im.exec(post.stdout)?.[1];
  if (post.code !== 0 || !location) throw new Error(`curl POST failed: ${post.stderr}${post.stdout}`);
  const url = new URL(location, `${scheme}://${registry.host}`);
  url.searchParams.set("digest", layer.digest);
  const put = await exec("curl", [...common, "-X", "PUT", "-H", "Content-Type: application/octet-stream", "-T", layer.file, "-o", "/dev/null", url.href]);
  if (put.code !== 0) throw new Error(`curl PUT failed: ${put.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function exec(command, args, stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => {});
    child.stdin.end(stdin ?? "");
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
