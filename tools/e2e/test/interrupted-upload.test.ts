import { join } from "node:path";
import {
  RegistryStorage,
  startRegistry,
  tempDir,
  uniqueRepository,
  waitUntil,
  type TestRegistry,
} from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { expectFailure, onlyRecord } from "./support/expect-failure.js";
import { writeModuleZip } from "./support/fixtures.js";
import { makeUser } from "./support/user.js";

// Acceptance 2 of issue 10, through the bin. distribution 2.8 keeps an upload session's offset in
// the signed `_state` of its Location and cancels a session whose stored size differs from it
// (registry/handlers/blobupload.go, ResumeBlobUpload): a PATCH cut in the middle of its body
// loses the whole session. A registry that stops gracefully (SIGTERM with http.draintimeout, as
// deployments run it) finishes the chunk in flight, so the next run resumes after it. A registry
// killed mid-chunk usually loses the session, and the next run starts a new one (that case is
// push/test/interrupted.test.ts).
const scratch = tempDir("tofu-oci-e2e-interrupted-");
const running: TestRegistry[] = [];
afterAll(async () => {
  for (const registry of running.splice(0)) await registry.stop();
  scratch.cleanup();
});

const SIZE = 48 * 1024 * 1024;
const CHUNK = 2 * 1024 * 1024;

describe("a registry that stops in the middle of an upload", () => {
  it("leaves no manifest or tag, and the next run resumes, sending fewer bytes than a full push", {
    timeout: 120_000,
  }, async () => {
    const workDir = join(scratch.path, "registry");
    const first = await startRegistry({ mode: "plain", workDir, drainTimeoutSeconds: 10 });
    running.push(first);
    const port = Number(first.host.split(":")[1]);
    const user = makeUser(scratch.path, "user", { chunkSize: CHUNK, retries: 2, retryMinDelayMs: 50 });
    const zip = writeModuleZip(scratch.path, "big.zip", SIZE);
    const repository = uniqueRepository("e2e/interrupted");
    const reference = `${first.host}/${repository}:1.0.0`;

    const storage = new RegistryStorage(first.dataDir);
    const interrupted = user.run("push", [reference, zip, "--plain-http", "--format", "json"]);
    await waitUntil(() => storage.uploadSessionBytes(repository) >= 8 * CHUNK, "eight chunks are stored");
    running.splice(running.indexOf(first), 1);
    await first.stop();
    expectFailure(await interrupted, 5, /127\.0\.0\.1/);
    expect(storage.repositoryState(repository)).toEqual({ tags: [], manifests: 0 });

    const second = await startRegistry({ mode: "plain", workDir, port, drainTimeoutSeconds: 10 });
    running.push(second);
    const resumed = onlyRecord(await user.run("push", [reference, zip, "--plain-http", "--format", "json"]));
    const full = onlyRecord(
      await user.run("push", [
        `${second.host}/${uniqueRepository("e2e/interrupted-full")}:1.0.0`,
        zip,
        "--plain-http",
        "--format",
        "json",
      ]),
    );
    expect(resumed.digest).toBe(full.digest);
    expect(storage.repositoryState(repository).tags).toEqual(["1.0.0"]);
    // At least the eight chunks the first run stored were not sent again.
    expect(full.bytesCopied as number).toBeGreaterThan(SIZE);
    expect(resumed.bytesCopied as number).toBeLessThanOrEqual((full.bytesCopied as number) - 8 * CHUNK);
  });
});
