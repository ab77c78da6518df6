import { describe, expect, it } from "vitest";
import { RegistryError } from "../errors.js";
import { chunkRefusal, chunkSizeFor, learnChunkRefusal, type RegistryKnowledge } from "./registry-knowledge.js";

const MiB = 1024 * 1024;

function refusedWith(status: number, code: string, message: string): RegistryError {
  return new RegistryError("network", `HTTP ${status}`, status, [{ code, message }]);
}

describe("chunkRefusal", () => {
  it("reads GHCR's 416 limit and stays under it, on a 64 KiB boundary (registry-quirks: ghcr-patch-4mib)", () => {
    const ghcr = refusedWith(
      416,
      "REQUESTED_RANGE_NOT_SATISFIABLE",
      "the request body is too large and exceeds the maximum permissible limit of 4.00MiB",
    );
    const refusal = chunkRefusal(ghcr) as { maxBytes: number };
    expect(refusal.maxBytes).toBeLessThan(4 * MiB);
    expect(refusal.maxBytes).toBeGreaterThan(3.9 * MiB);
    expect(refusal.maxBytes % (64 * 1024)).toBe(0);
    expect(
      chunkRefusal(refusedWith(416, "REQUESTED_RANGE_NOT_SATISFIABLE", "... maximum permissible limit of 1024B")),
    ).toEqual({ maxBytes: 1013 });
  });

  it("reads ECR's minimum part, MB as MiB (registry-quirks: ecr-min-part-5mb)", () => {
    const ecr = refusedWith(
      400,
      "BLOB_UPLOAD_INVALID",
      "LayerPartTooSmallException: All layer parts except the last part should be at least 5MB",
    );
    expect(chunkRefusal(ecr)).toEqual({ minBytes: 5 * MiB });
  });

  it("takes other 4xx answers to a PATCH for no chunked uploads at all (registry-quirks: gar-no-chunked)", () => {
    expect(chunkRefusal(refusedWith(400, "BLOB_UPLOAD_INVALID", "chunked uploads are not supported"))).toMatchObject({
      refused: expect.stringContaining("HTTP 400"),
    });
    expect(chunkRefusal(new RegistryError("network", "x", 405, []))).toEqual({ refused: "PATCH answered HTTP 405" });
  });

  it("leaves lost sessions, credentials, rate limits and server errors to the other recoveries", () => {
    expect(chunkRefusal(refusedWith(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown"))).toBeUndefined();
    expect(chunkRefusal(refusedWith(400, "DIGEST_INVALID", "digest did not match"))).toBeUndefined();
    for (const status of [401, 403, 429, 500, 503]) expect(chunkRefusal(refusedWith(status, "X", "y"))).toBeUndefined();
    expect(chunkRefusal(new Error("socket hang up"))).toBeUndefined();
  });
});

describe("chunkSizeFor", () => {
  it("keeps the asked size within what the registry taught, or says chunks are impossible", () => {
    const known: RegistryKnowledge = {};
    expect(chunkSizeFor(8 * MiB, known)).toBe(8 * MiB);
    learnChunkRefusal(known, { maxBytes: 4 * MiB });
    expect(chunkSizeFor(8 * MiB, known)).toBe(4 * MiB);
    learnChunkRefusal(known, { minBytes: 1 * MiB });
    expect(chunkSizeFor(512 * 1024, known)).toBe(1 * MiB);
    learnChunkRefusal(known, { minBytes: 5 * MiB });
    expect(chunkSizeFor(8 * MiB, known)).toBeUndefined();
    expect(chunkSizeFor(8 * MiB, { chunkedRefused: "PATCH answered HTTP 405" })).toBeUndefined();
  });
});
