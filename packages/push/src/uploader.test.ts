import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readAll, sha256Digest, type Content, type Descriptor, type PushOptions, type ResumableContent } from "@tofu-oci/core";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { fileUpload } from "./blobs.js";
import { Uploader } from "./uploader.js";

const scratch = tempDir("tofu-oci-push-uploader-");
afterAll(() => scratch.cleanup());

/** A target that, like a registry holding half of an upload session, reads only the second half. */
class HalfUploadedTarget extends MemoryTarget {
  constructor(readonly held: Buffer) {
    super();
  }

  override async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
    const rest = await readAll(await (content as ResumableContent).openRange(descriptor.size / 2), descriptor.size);
    await super.push(descriptor, Buffer.concat([this.held.subarray(0, descriptor.size / 2), rest]), options);
  }
}

describe("Uploader.stats.bytesUploaded", () => {
  it("counts the bytes read for the upload, so a resumed upload reports only what it sent", async () => {
    const bytes = randomBytes(100_000);
    const file = join(scratch.path, "blob.zip");
    writeFileSync(file, bytes);
    const blob = { file, digest: sha256Digest(bytes), size: bytes.length };

    const whole = new Uploader(new MemoryTarget());
    await whole.blobs([fileUpload(blob)]);
    expect(whole.stats.bytesUploaded).toBe(bytes.length);

    const resumed = new Uploader(new HalfUploadedTarget(bytes));
    await resumed.blobs([fileUpload(blob)]);
    expect(resumed.stats.bytesUploaded).toBe(50_000);
  });
});
