import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAll } from "./content.js";
import { digestStream, ensureVerified, observeVerified, verifiedStream, verifyBytes } from "./digest.js";
import { ProgressStream } from "./progress-stream.js";
import { exitCodeOf } from "./errors.js";

const hex = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

describe("digests", () => {
  it("digests a stream in chunks without buffering it", async () => {
    const chunks = Array.from({ length: 50 }, () => randomBytes(10_000));
    const all = Buffer.concat(chunks);
    expect(await digestStream(Readable.from(chunks))).toEqual({ digest: `sha256:${hex(all)}`, size: all.length });
  });

  it("passes through content that matches, and fails content that does not", async () => {
    const data = randomBytes(1000);
    const expected = { digest: `sha256:${hex(data)}`, size: data.length };
    expect((await readAll(verifiedStream(Readable.from([data]), expected), 2000)).equals(data)).toBe(true);

    const tampered = Buffer.from(data);
    tampered[500]! ^= 1;
    const mismatch = await readAll(verifiedStream(Readable.from([tampered]), expected), 2000).catch((e: unknown) => e);
    expect(exitCodeOf(mismatch)).toBe(1);
    expect((mismatch as Error).message).toContain("digest mismatch");
  });

  it("fails as soon as more bytes arrive than expected, and on short content", async () => {
    const data = randomBytes(100);
    const expected = { digest: `sha256:${hex(data)}`, size: 50 };
    const endless = Readable.from(
      (function* () {
        for (;;) yield data;
      })(),
    );
    expect(
      ((await readAll(verifiedStream(endless, expected), 1e9).catch((e: unknown) => e)) as Error).message,
    ).toContain("more than 50");
    expect(() => verifyBytes(data.subarray(0, 10), { digest: `sha256:${hex(data)}`, size: 100 })).toThrow(
      /expected 100 bytes, got 10/,
    );
  });

  it("keeps a verified stream's verification through an observer, so it is not hashed twice", async () => {
    const data = randomBytes(1000);
    const expected = { digest: `sha256:${hex(data)}`, size: data.length };
    let seen = 0;
    const observed = observeVerified(
      verifiedStream(Readable.from([data]), expected),
      new ProgressStream((n) => (seen = n)),
    );
    expect(ensureVerified(observed, expected)).toBe(observed);
    expect(ensureVerified(observed, { ...expected, size: 999 })).not.toBe(observed);
    expect((await readAll(observed, 2000)).equals(data)).toBe(true);
    expect(seen).toBe(data.length);

    const unverified = observeVerified(Readable.from([data]), new ProgressStream(() => {}));
    expect(ensureVerified(unverified, expected)).not.toBe(unverified);
  });

  it("fails the observed stream when the content upstream does not match", async () => {
    const data = randomBytes(1000);
    const expected = { digest: `sha256:${hex(data)}`, size: data.length };
    const tampered = Buffer.from(data);
    tampered[0] = tampered[0]! ^ 1;
    const observed = observeVerified(verifiedStream(Readable.from([tampered]), expected), new ProgressStream(() => {}));
    expect(exitCodeOf(await readAll(ensureVerified(observed, expected), 2000).catch((e: unknown) => e))).toBe(1);
  });
});
