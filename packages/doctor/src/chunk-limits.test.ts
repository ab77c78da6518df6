import { describe, expect, it } from "vitest";
import { binarySize, chunkRefusal } from "./chunk-limits.js";

const MiB = 1024 * 1024;

describe("chunkRefusal", () => {
  it("learns GHCR's PATCH limit from its 416, staying under the rounded number (ghcr-patch-4mib)", () => {
    const words =
      "REQUESTED_RANGE_NOT_SATISFIABLE: the request body is too large and exceeds the maximum permissible limit of 4.00MiB";
    const refusal = chunkRefusal(416, words, 6 * MiB);
    expect(refusal).toHaveProperty("maxBytes");
    const max = (refusal as { maxBytes: number }).maxBytes;
    expect(max).toBeLessThan(4 * MiB);
    expect(max).toBeGreaterThan(3.9 * MiB);
    expect(max % (64 * 1024)).toBe(0);
  });

  it("learns ECR's minimum part, reading MB as S3's MiB (ecr-min-part-5mb)", () => {
    expect(
      chunkRefusal(400, "LayerPartTooSmallException: All layer parts except the last part should be at least 5MB", MiB),
    ).toEqual({ minBytes: 5 * MiB });
  });

  it("halves the chunk after a 413 or 416 that names no limit", () => {
    expect(chunkRefusal(413, "Request Entity Too Large", 8 * MiB)).toEqual({ maxBytes: 4 * MiB });
  });

  it("reads any other refusal as no chunked uploads at all (gar-no-chunked)", () => {
    expect(chunkRefusal(400, "BLOB_UPLOAD_INVALID: chunked uploads are not supported", MiB)).toEqual({ refused: true });
  });
});

describe("binarySize", () => {
  it("writes chunk sizes in binary units", () => {
    expect([binarySize(5 * MiB), binarySize(4128768), binarySize(512 * 1024), binarySize(10)]).toEqual([
      "5 MiB",
      "3.94 MiB",
      "512 KiB",
      "10 B",
    ]);
  });
});
