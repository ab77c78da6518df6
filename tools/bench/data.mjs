// Test data for benchmark scenarios: large stored zips streamed to disk (module layers, provider
// release zips), cached by name in a directory every scenario of a run shares; a text-heavy
// module tree of OpenTofu-like configuration.
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { testkit } from "./lib.mjs";

const CHUNK = 8 * 1024 * 1024;

/**
 * A zip of one stored entry `entry` holding `bytes` incompressible bytes (one random 8 MiB
 * chunk repeated, so distinct seeds give distinct digests), written once into `dir` and reused.
 * Returns `{ file, digest, size }`.
 * @param {string} dir
 * @param {{ name: string, entry: string, bytes: number, mode?: number }} spec
 */
export async function storedZip(dir, { name, entry, bytes, mode = 0o100644 }) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  const infoFile = `${file}.json`;
  if (existsSync(infoFile) && existsSync(file)) {
    const info = JSON.parse(readFileSync(infoFile, "utf8"));
    if (statSync(file).size === info.size) return info;
  }
  const chunk = randomBytes(CHUNK);
  const chunks = Math.ceil(bytes / CHUNK);
  const pieces = (i) => (i < chunks - 1 ? chunk : chunk.subarray(0, bytes - CHUNK * (chunks - 1)));
  let crc = 0;
  for (let i = 0; i < chunks; i++) crc = crc32(pieces(i), crc);
  const { storedEntry, endOfCentralDirectory } = await testkit();
  const { local, central } = storedEntry(Buffer.from(entry), bytes, crc, 0, mode);
  const end = endOfCentralDirectory(1, central.length, local.length + bytes);

  const hash = createHash("sha256");
  const out = createWriteStream(file);
  const write = async (buffer) => {
    hash.update(buffer);
    if (!out.write(buffer)) await once(out, "drain");
  };
  await write(local);
  for (let i = 0; i < chunks; i++) await write(pieces(i));
  await write(Buffer.concat([central, end]));
  out.end();
  await once(out, "finish");
  const info = { file, digest: `sha256:${hash.digest("hex")}`, size: statSync(file).size };
  writeFileSync(infoFile, JSON.stringify(info));
  return info;
}

/** The package record tofu-oci-pack prints for a module zip (what tofu-oci-push reads on stdin). */
export function modulePackageRecord(zip) {
  return {
    kind: "package",
    type: "module",
    file: zip.file,
    digest: zip.digest,
    size: zip.size,
    mediaType: "archive/zip",
    files: 1,
  };
}

/** Blocks of OpenTofu configuration as real modules repeat them, numbered so no two are alike. */
const TERRAFORM_BLOCKS = [
  (n) => [
    `resource "aws_instance" "web_${n}" {`,
    "  ami           = var.ami_id",
    '  instance_type = "t3.micro"',
    `  subnet_id     = aws_subnet.private[${n % 4}].id`,
    "",
    "  tags = {",
    `    Name        = "web-${n}"`,
    "    Environment = var.environment",
    "  }",
    "}",
  ],
  (n) => [
    `variable "setting_${n}" {`,
    `  description = "Setting ${n} of the module."`,
    "  type        = string",
    `  default     = "value-${n}"`,
    "}",
  ],
  (n) => [
    `output "address_${n}" {`,
    `  description = "The private address of web_${n}."`,
    `  value       = aws_instance.web_${n}.private_ip`,
    "}",
  ],
  (n) => [
    `resource "aws_security_group_rule" "ingress_${n}" {`,
    '  type              = "ingress"',
    `  from_port         = ${1000 + (n % 500)}`,
    `  to_port           = ${1000 + (n % 500)}`,
    '  protocol          = "tcp"',
    `  cidr_blocks       = ["10.${n % 256}.0.0/16"]`,
    "  security_group_id = aws_security_group.main.id",
    "}",
  ],
].map((lines) => (n) => `${lines(n).join("\n")}\n\n`);

/**
 * A text-heavy module tree: `files` .tf files of about `bytes / files` bytes each, made of
 * numbered resource, variable and output blocks (every file differs, but the text repeats the
 * way generated or copy-pasted configuration does, so it compresses about 10x, much more than
 * lib.mjs's `generateModuleTree`), spread over 40 x 7 directories, plus a root `main.tf`.
 * Deterministic.
 * @param {string} dir
 * @param {{ files: number, bytes: number }} options
 */
export function terraformTree(dir, { files, bytes }) {
  const perFile = Math.floor(bytes / files);
  let block = 0;
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `group-${i % 40}`, `part-${i % 7}`);
    if (i < 280) mkdirSync(sub, { recursive: true });
    let text = `# file ${i}\n`;
    while (text.length < perFile) text += TERRAFORM_BLOCKS[block % TERRAFORM_BLOCKS.length](block++);
    writeFileSync(join(sub, `file-${i}.tf`), text.slice(0, perFile));
  }
  writeFileSync(join(dir, "main.tf"), 'variable "name" {\n  type = string\n}\n');
}
