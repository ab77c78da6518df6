import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { invalidInput } from "@tofu-oci/core";

/**
 * Reads `*_SHA256SUMS` files (`<64 hex>  <file name>` per line, as `sha256sum` and goreleaser
 * write them; a `*` before the name marks binary mode) into one map from file name to hex
 * digest. A malformed line, or one name with two different digests, is an exit-code-6 error.
 */
export async function readShasums(files: readonly string[]): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (const file of files) {
    const text = await readFile(file, "utf8");
    for (const [index, line] of text.split(/\r?\n/).entries()) {
      if (line.trim() === "") continue;
      const [hex, name] = parseLine(line, `${basename(file)} line ${index + 1}`);
      const known = sums.get(name);
      if (known !== undefined && known !== hex)
        throw invalidInput(
          `${name} is listed twice with different SHA-256 sums`,
          "Keep one SHA256SUMS file per release.",
        );
      sums.set(name, hex);
    }
  }
  return sums;
}

function parseLine(line: string, where: string): [string, string] {
  const fields = line.trim().split(/\s+/);
  const hex = fields[0]?.toLowerCase() ?? "";
  const name = fields[1]?.replace(/^\*/, "");
  if (fields.length !== 2 || !/^[0-9a-f]{64}$/.test(hex) || !name) {
    throw invalidInput(
      `${where} is not "<sha256>  <file name>": ${JSON.stringify(line.slice(0, 100))}`,
      "Give the SHA256SUMS file that came with the release.",
    );
  }
  return [hex, name];
}
