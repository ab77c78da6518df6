import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Digest } from "../digest.js";
import { RegistryClient } from "./registry-client.js";
import { RemoteRepository } from "./remote-repository.js";

// distribution-spec 1.1: a registry may announce the smallest chunk it takes with
// `OCI-Chunk-Min-Length` on the POST that opens a session. No registry of the test bed sends it,
// so a small HTTP server that keeps the session in memory stands in for one.

const MIN = 300 * 1024;
const patches: number[] = [];
let stored = Buffer.alloc(0);
const server = createServer(async (req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (req.method === "POST") {
    stored = Buffer.alloc(0);
    res
      .writeHead(202, {
        location: "/v2/a/b/blobs/uploads/s1",
        "oci-chunk-min-length": String(MIN),
        "content-length": 0,
      })
      .end();
  } else if (req.method === "PATCH") {
    patches.push(body.length);
    stored = Buffer.concat([stored, body]);
    res
      .writeHead(202, { location: "/v2/a/b/blobs/uploads/s1", range: `0-${stored.length - 1}`, "content-length": 0 })
      .end();
  } else if (req.method === "PUT") {
    stored = Buffer.concat([stored, body]);
    const digest = new URL(req.url!, "http://x").searchParams.get("digest");
    res.writeHead(digest === sha256Digest(stored) ? 201 : 400, { "content-length": 0 }).end();
  } else res.writeHead(404, { "content-length": 0 }).end();
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("OCI-Chunk-Min-Length", () => {
  it("raises the chunk size to what the registry announced, the last part going with the PUT", async () => {
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new RegistryClient({ plainHttp: true, chunkSize: 100 * 1024 });
    const bytes = randomBytes(MIN * 2 + 1000);
    await new RemoteRepository(client, host, "a/b").push(
      { mediaType: "archive/zip", digest: sha256Digest(bytes), size: bytes.length },
      bytes,
    );
    expect(patches).toEqual([MIN, MIN]);
    expect(stored.equals(bytes)).toBe(true);
    expect(client.knowledge(host).chunkMinBytes).toBe(MIN);
    await client.close();
  });
});
