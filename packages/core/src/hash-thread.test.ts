import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { DigestVerifier, THREADED_HASH_MIN_BYTES } from "./digest.js";
import { exitCodeOf } from "./errors.js";
import { ThreadedSha256 } from "./hash-thread.js";

/** `count` chunks of `chunk`, with byte `flip` of the whole changed when given. */
function* repeated(chunk: Buffer, count: number, flip?: number): Generator<Buffer> {
  for (let i = 0; i < count; i++) {
    const at = flip === undefined ? -1 : flip - i * chunk.length;
    if (at < 0 || at >= chunk.length) yield chunk;
    else {
      const changed = Buffer.from(chunk);
      changed[at]! ^= 1;
      yield changed;
    }
  }
}

function sha256Of(chunk: Buffer, count: number): string {
  const hash = createHash("sha256");
  for (const part of repeated(chunk, count)) hash.update(part);
  return `sha256:${hash.digest("hex")}`;
}

describe("hashing on the worker thread", () => {
  it("gives the digest node:crypto gives, in order, across batches and odd chunk sizes", async () => {
    const data = randomBytes(5 * 1024 * 1024 + 12_345);
    const hashes = [new ThreadedSha256(), new ThreadedSha256()];
    // Two hashes open at once, of different cuts of the same bytes, with back-pressure honoured.
    for (const [index, size] of [70_001, 1024 * 1024 + 3].entries()) {
      for (let offset = 0; offset < data.length; offset += size)
        await hashes[index]!.update(data.subarray(offset, offset + size));
    }
    const expected = createHash("sha256").update(data).digest("hex");
    expect(await Promise.all(hashes.map((hash) => hash.digest()))).toEqual([expected, expected]);
    expect(await new ThreadedSha256().digest()).toBe(createHash("sha256").digest("hex"));
  });

  it("verifies big content on the thread: passes it on unchanged, fails a changed byte or a short body", async () => {
    const chunk = randomBytes(1024 * 1024);
    const count = Math.ceil(THREADED_HASH_MIN_BYTES / chunk.length);
    const expected = { digest: sha256Of(chunk, count), size: chunk.length * count };
    let passed = 0;
    const counter = new Writable({ write: (part: Buffer, _encoding, done) => ((passed += part.length), done()) });
    await pipeline(Readable.from(repeated(chunk, count)), new DigestVerifier(expected), counter);
    expect(passed).toBe(expected.size);

    const changed = pipeline(
      Readable.from(repeated(chunk, count, expected.size - 7)),
      new DigestVerifier(expected),
      new Writable({ write: (_c, _e, done) => done() }),
    );
    const error = await changed.catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(1);
    expect((error as Error).message).toContain("digest mismatch");

    const short = pipeline(
      Readable.from(repeated(chunk, count - 1)),
      new DigestVerifier(expected),
      new Writable({ write: (_c, _e, done) => done() }),
    );
    expect(((await short.catch((e: unknown) => e)) as Error).message).toMatch(/expected \d+ bytes, got \d+/);
  });

  it("never keeps the process alive: a process that drops a hash (a cancelled transfer) exits by itself", () => {
    const built = new URL("../dist/hash-thread.js", import.meta.url).href;
    const script = `
      import { ThreadedSha256 } from ${JSON.stringify(built)};
      const dropped = new ThreadedSha256();
      dropped.update(new Uint8Array(3 * 1024 * 1024));
      dropped.abort();
      const finished = new ThreadedSha256();
      finished.update(new Uint8Array([1, 2, 3]));
      console.log(await finished.digest());`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.signal, "the process did not exit by itself").toBeNull();
    expect(run.stdout.trim()).toBe(
      createHash("sha256")
        .update(new Uint8Array([1, 2, 3]))
        .digest("hex"),
    );
  });
});
