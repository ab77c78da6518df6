import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { binOf, generateModuleTree, timeProcess } from "../../../tools/bench/lib.mjs";

const scratch = tempDir("tofu-oci-pack-big-");
afterAll(() => scratch.cleanup());

async function packPeakRss(dir: string, output: string): Promise<number> {
  const { peakRssMb, stdout } = await timeProcess(process.execPath, [binOf("pack"), "module", dir, "-o", output]);
  expect(JSON.parse(stdout)).toMatchObject({ kind: "package", type: "module" });
  execFileSync("unzip", ["-tq", output]);
  return peakRssMb;
}

// Acceptance 1 of issue 4: memory does not grow with the size of what is packed. The 100 MB
// variant with timings against zip(1) is the `pack` benchmark (tools/bench/scenarios/pack.mjs).
describe("packing big modules with flat memory", () => {
  it("a 10,000-file / 100 MB module peaks at about the RSS of a 10,000-file / 45 MB one", async () => {
    const small = join(scratch.path, "small");
    const big = join(scratch.path, "big");
    // 4.5 kB a file, so both compress on worker threads (the pool starts from a 4 kB average).
    generateModuleTree(small, { files: 10_000, bytes: 45_000_000 });
    generateModuleTree(big, { files: 10_000, bytes: 100_000_000 });
    const smallRss = await packPeakRss(small, join(scratch.path, "small.zip"));
    const bigRss = await packPeakRss(big, join(scratch.path, "big.zip"));
    // 55 MB more data must not mean much more memory: what grows is per file (the central directory), not per byte.
    expect(bigRss - smallRss, `peak RSS ${smallRss.toFixed(0)} MB for 45 MB, ${bigRss.toFixed(0)} MB for 100 MB`).toBeLessThan(30);
    expect(bigRss).toBeLessThan(250);
  }, 180_000);

  it("large files are streamed: 256 MB in four files packs in well under 256 MB of RSS", async () => {
    const dir = join(scratch.path, "large-files");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf"), "# large\n");
    // Random 16 kB blocks repeated: compressible within deflate's 32 kB window, so the test stays fast.
    for (let i = 0; i < 4; i++) {
      const fd = openSync(join(dir, `blob-${i}.bin`), "w");
      for (let j = 0; j < 64; j++) writeSync(fd, Buffer.concat(new Array<Buffer>(64).fill(randomBytes(16 * 1024))));
      closeSync(fd);
    }
    const rss = await packPeakRss(dir, join(scratch.path, "large.zip"));
    expect(rss, `peak RSS ${rss.toFixed(0)} MB`).toBeLessThan(128);
  }, 180_000);
});
