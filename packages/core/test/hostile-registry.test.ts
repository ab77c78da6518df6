import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { EMPTY_CONFIG, MediaType, exitCodeOf, sha256Digest, staticCredentials } from "@tofu-oci/core";
import { OciLayout } from "@tofu-oci/core/layout";
import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Responses no real registry sends, so they cannot come from distribution: this small server
// plays a hostile or broken registry. Everything else is tested against the real one.
const OVERSIZED = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: MediaType.imageManifest, config: EMPTY_CONFIG, layers: [], annotations: { pad: "x".repeat(4 * 1024 * 1024) } }),
);

let server: Server;
let host: string;
const requests: Array<{ path: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    const path = req.url ?? "";
    if (path.endsWith("/manifests/declared")) {
      res.writeHead(200, { "content-type": MediaType.imageManifest, "content-length": OVERSIZED.length });
      res.end(OVERSIZED);
    } else if (path.endsWith("/manifests/chunked")) {
      res.writeHead(200, { "content-type": MediaType.imageManifest });
      res.write(OVERSIZED.subarray(0, 1024 * 1024));
      res.end(OVERSIZED.subarray(1024 * 1024));
    } else if (path.includes("/tags/list")) {
      res.writeHead(200, { "content-type": "application/json", link: '<http://evil.example:1/v2/a/tags/list?last=x>; rel="next"' });
      res.end(JSON.stringify({ name: "a", tags: ["1.0.0"] }));
    } else if (path.includes("/blobs/") && !req.headers.authorization) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="hostile"' }).end();
    } else if (path.includes("/blobs/")) {
      res.writeHead(307, { location: `http://localhost:${(server.address() as AddressInfo).port}/storage/blob` });
      res.end();
    } else if (path === "/storage/blob") {
      res.writeHead(200, { "content-length": 5 });
      res.end("hello");
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("hostile registry responses", () => {
  const client = new RegistryClient({ plainHttp: true, retry: { retries: 0 } });
  afterAll(() => client.close());

  it.each(["declared", "chunked"])("refuses a manifest over 4 MiB (%s length)", async (tag) => {
    const error = await new RemoteRepository(client, host, "a").resolve(tag).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(/4 MiB|larger than 4194304/);
  });

  it("does not follow a tag-list Link to another host", async () => {
    const tags: string[] = [];
    const error = await (async () => {
      for await (const tag of new RemoteRepository(client, host, "a").tags()) tags.push(tag);
    })().catch((e: unknown) => e);
    expect(tags).toEqual(["1.0.0"]);
    expect(exitCodeOf(error)).toBe(5);
    expect((error as Error).message).toContain("another host");
  });

  it("drops the Authorization header when a blob redirect leaves the registry's origin", async () => {
    const authed = new RegistryClient({ plainHttp: true, retry: { retries: 0 }, credentials: staticCredentials({ username: "u", password: "do-not-leak" }) });
    const hello = Buffer.from("hello");
    const descriptor = { mediaType: "application/octet-stream", digest: sha256Digest(hello), size: hello.length };
    const chunks: Buffer[] = [];
    for await (const chunk of await new RemoteRepository(authed, host, "a").fetch(descriptor)) chunks.push(chunk as Buffer);
    await authed.close();
    expect(Buffer.concat(chunks).toString()).toBe("hello");
    const blob = requests.filter((r) => r.path.includes("/blobs/"));
    const storage = requests.filter((r) => r.path === "/storage/blob");
    expect(blob.at(-1)?.authorization).toMatch(/^Basic /);
    expect(storage).toHaveLength(1);
    expect(storage[0]!.authorization).toBeUndefined();
  });
});

describe("OCI layout manifest limit", () => {
  const scratch = tempDir();
  afterAll(() => scratch.cleanup());

  it("refuses to push a manifest over 4 MiB", async () => {
    const layout = await OciLayout.open(join(scratch.path, "layout"), { create: true });
    const descriptor = { mediaType: MediaType.imageManifest, digest: sha256Digest(OVERSIZED), size: OVERSIZED.length };
    const error = await layout.push(descriptor, OVERSIZED).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
  });
});
