import { createWriteStream, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { tempDir } from "@tofu-oci/testkit";
import { unpackArchive } from "./package-archive.js";

const scratch = tempDir("tofu-oci-mirror-archive-");
afterAll(() => scratch.cleanup());

type Entry = tar.Headers & { content?: string };

async function tarGz(name: string, entries: Entry[]): Promise<string> {
  const file = join(scratch.path, name);
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), createWriteStream(file));
  for (const { content = "", ...header } of entries) pack.entry(header, content);
  pack.finalize();
  await written;
  return file;
}

describe("unpackArchive (tar.gz)", () => {
  it("unpacks files and directories, keeping only the executable bit", async () => {
    const file = await tarGz("ok.tar.gz", [
      { name: "./", type: "directory" },
      { name: "./main.tf", content: "# main\n", mode: 0o600 },
      { name: "./bin/run.sh", content: "#!/bin/sh\n", mode: 0o700 },
    ]);
    const out = join(scratch.path, "ok");
    await unpackArchive(file, "tar.gz", out, "ok.tar.gz");
    expect(readFileSync(join(out, "main.tf"), "utf8")).toBe("# main\n");
    expect(statSync(join(out, "main.tf")).mode & 0o777).toBe(0o644);
    expect(statSync(join(out, "bin", "run.sh")).mode & 0o111).not.toBe(0);
  });

  it.each<[string, Entry]>([
    ["a .. component", { name: "../escape.tf", content: "x" }],
    ["an absolute name", { name: "/etc/escape.tf", content: "x" }],
    ["a symbolic link", { name: "link", type: "symlink", linkname: "/etc/passwd" }],
    ["a hard link", { name: "hard", type: "link", linkname: "main.tf" }],
  ])("refuses %s (exit 6) and writes nothing outside", async (what, entry) => {
    const file = await tarGz(`bad-${what.replaceAll(" ", "-")}.tar.gz`, [{ name: "main.tf", content: "x" }, entry]);
    const out = join(scratch.path, `bad-${what.replaceAll(" ", "-")}`);
    const error = await unpackArchive(file, "tar.gz", out, "bad.tar.gz").catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(/refusing entry/);
    expect(existsSync(join(scratch.path, "escape.tf"))).toBe(false);
  });

  it("reports a file that is not gzip as a damaged package (exit 6)", async () => {
    const file = join(scratch.path, "plain.tar.gz");
    await pipeline(async function* () {
      yield Buffer.from("not gzip at all");
    }, createWriteStream(file));
    expect(
      exitCodeOf(
        await unpackArchive(file, "tar.gz", join(scratch.path, "plain"), "plain.tar.gz").catch((e: unknown) => e),
      ),
    ).toBe(6);
  });
});
