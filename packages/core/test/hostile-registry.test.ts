import { join } from "node:path";
import { EMPTY_CONFIG, MediaType, copy, exitCodeOf, sha256Digest, staticCredentials } from "@tofu-oci/core";
import { OciLayout } from "@tofu-oci/core/layout";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";
import { makeServerCertificate, sendJson, startHostileServer, tempDir, type HostileServer } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Responses no real registry sends, so they cannot come from distribution: testkit's hostile
// server plays a hostile or broken registry. Everything else is tested against the real one.
const OVERSIZED = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    config: EMPTY_CONFIG,
    layers: [],
    annotations: { pad: "x".repeat(4 * 1024 * 1024) },
  }),
);
const NOT_JSON = Buffer.from("{ this is not json");
const SECRET = "do-not-leak-this-password";

let server: HostileServer;
let host: string;

beforeAll(async () => {
  server = await startHostileServer((req, res) => {
    const path = req.url ?? "";
    if (path.endsWith("/manifests/declared")) {
      res.writeHead(200, { "content-type": MediaType.imageManifest, "content-length": OVERSIZED.length });
      res.end(OVERSIZED);
    } else if (path.endsWith("/manifests/chunked")) {
      res.writeHead(200, { "content-type": MediaType.imageManifest });
      res.write(OVERSIZED.subarray(0, 1024 * 1024));
      res.end(OVERSIZED.subarray(1024 * 1024));
    } else if (path.endsWith("/manifests/not-json") || path.endsWith(`/manifests/${sha256Digest(NOT_JSON)}`)) {
      res.writeHead(200, { "content-type": MediaType.imageManifest, "content-length": NOT_JSON.length }).end(NOT_JSON);
    } else if (path.endsWith("/manifests/echo") && !req.headers.authorization) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="hostile"' }).end();
    } else if (path.endsWith("/manifests/echo")) {
      // An error text with terminal escapes, a forged line and the Authorization header echoed back.
      const echoed = `\u001b[2J\u001b[31mdenied\nerror: forged line; you sent ${req.headers.authorization}`;
      sendJson(res, 403, { errors: [{ code: "DENIED", message: echoed }] });
    } else if (path.includes("/tags/list")) {
      res.writeHead(200, {
        "content-type": "application/json",
        link: '<http://evil.example:1/v2/a/tags/list?last=x>; rel="next"',
      });
      res.end(JSON.stringify({ name: "a", tags: ["1.0.0"] }));
    } else if (path.includes("/blobs/") && !req.headers.authorization) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="hostile"' }).end();
    } else if (path.includes("/blobs/")) {
      res.writeHead(307, { location: `http://localhost:${host.split(":")[1]}/storage/blob` });
      res.end();
    } else if (path === "/storage/blob") {
      res.writeHead(200, { "content-length": 5 });
      res.end("hello");
    } else {
      res.writeHead(404).end();
    }
  });
  host = server.host;
});
afterAll(() => server.close());

describe("hostile registry responses", () => {
  const client = new RegistryClient({ plainHttp: true, retry: { retries: 0 } });
  afterAll(() => client.close());

  it.each(["declared", "chunked"])(
    "refuses a manifest over 4 MiB (%s length) as the registry's fault (exit 5)",
    async (tag) => {
      const error = await new RemoteRepository(client, host, "a").resolve(tag).catch((e: unknown) => e);
      expect(exitCodeOf(error)).toBe(5);
      expect((error as Error).message).toMatch(/4 MiB|larger than 4194304/);
    },
  );

  it("a manifest that is not JSON is the registry's fault in a copy (exit 5), and nothing is written", async () => {
    const dst = new MemoryTarget();
    const error = await copy(new RemoteRepository(client, host, "a"), "not-json", dst, ["1.0.0"]).catch(
      (e: unknown) => e,
    );
    expect(exitCodeOf(error)).toBe(5);
    expect((error as Error).message).toContain("not valid JSON");
    expect(await dst.resolve("1.0.0").catch(() => "missing")).toBe("missing");
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
    const authed = new RegistryClient({
      plainHttp: true,
      retry: { retries: 0 },
      credentials: staticCredentials({ username: "u", password: SECRET }),
    });
    const hello = Buffer.from("hello");
    const descriptor = { mediaType: "application/octet-stream", digest: sha256Digest(hello), size: hello.length };
    const chunks: Buffer[] = [];
    for await (const chunk of await new RemoteRepository(authed, host, "a").fetch(descriptor))
      chunks.push(chunk as Buffer);
    await authed.close();
    expect(Buffer.concat(chunks).toString()).toBe("hello");
    const blob = server.requests.filter((r) => r.path.includes("/blobs/"));
    const storage = server.requests.filter((r) => r.path === "/storage/blob");
    expect(blob.at(-1)?.authorization).toMatch(/^Basic /);
    expect(storage).toHaveLength(1);
    expect(storage[0]!.authorization).toBeUndefined();
  });

  it("never puts a descriptor's digest into a URL unchecked", async () => {
    const before = server.requests.length;
    for (const digest of ["sha256:../../admin/x", `sha256:${"A".repeat(64)}`, "md5:0", "sha256:a/../../../b"]) {
      const descriptor = { mediaType: "archive/zip", digest, size: 5 };
      const repository = new RemoteRepository(client, host, "a");
      for (const operation of [
        () => repository.fetch(descriptor),
        () => repository.exists(descriptor),
        () => repository.referrers(descriptor),
        () => repository.mount(descriptor, "b"),
      ]) {
        const error = await operation().catch((e: unknown) => e);
        expect(exitCodeOf(error), digest).toBe(6);
        expect((error as Error).message).toContain("is not a valid digest");
      }
    }
    expect(server.requests.slice(before)).toEqual([]);
  });

  it("escapes control characters and redacts the credentials in a registry's error text", async () => {
    const authed = new RegistryClient({
      plainHttp: true,
      retry: { retries: 0 },
      credentials: staticCredentials({ username: "u", password: SECRET }),
    });
    const error = await new RemoteRepository(authed, host, "a").resolve("echo").catch((e: unknown) => e);
    await authed.close();
    const message = (error as Error).message;
    // A read refused with 403 after the credentials were taken: not found, or not authorised
    // (registry-quirks: ghcr-missing-or-private-403).
    expect(exitCodeOf(error)).toBe(3);
    expect(message).toContain("denied");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is that none are left.
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(message).toContain("\\u001b[2J");
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(Buffer.from(`u:${SECRET}`).toString("base64"));
    expect(message).toContain("[redacted]");
  });
});

describe("a Bearer realm on http for an https registry", () => {
  const scratch = tempDir();
  let registry: HostileServer;
  let realm: HostileServer;
  let caFile: string;
  beforeAll(async () => {
    const certificates = makeServerCertificate(scratch.path);
    caFile = certificates.caCert;
    realm = await startHostileServer((_req, res) => sendJson(res, 200, { token: "t" }));
    registry = await startHostileServer(
      (req, res) => {
        if (req.headers.authorization === "Bearer t") return void res.writeHead(404).end();
        res.writeHead(401, { "www-authenticate": `Bearer realm="${realm.url}/token",service="hostile"` }).end();
      },
      { tls: certificates },
    );
  });
  afterAll(async () => {
    await Promise.all([registry.close(), realm.close()]);
    scratch.cleanup();
  });

  it("is never sent credentials (exit 4); anonymous tokens still work, and --insecure allows it", async () => {
    const credentials = staticCredentials({ username: "u", password: SECRET });
    const refused = new RegistryClient({ caFile, retry: { retries: 0 }, credentials });
    const error = await new RemoteRepository(refused, registry.host, "a").resolve("1.0.0").catch((e: unknown) => e);
    await refused.close();
    expect(exitCodeOf(error)).toBe(4);
    expect((error as Error).message).toContain("over plain http");
    expect(realm.requests).toEqual([]);

    const anonymous = new RegistryClient({ caFile, retry: { retries: 0 } });
    expect(
      exitCodeOf(await new RemoteRepository(anonymous, registry.host, "a").resolve("1.0.0").catch((e: unknown) => e)),
    ).toBe(3);
    await anonymous.close();
    expect(realm.requests.map((r) => r.authorization)).toEqual([undefined]);

    const insecure = new RegistryClient({ insecure: true, retry: { retries: 0 }, credentials });
    expect(
      exitCodeOf(await new RemoteRepository(insecure, registry.host, "a").resolve("1.0.0").catch((e: unknown) => e)),
    ).toBe(3);
    await insecure.close();
    expect(realm.requests.at(-1)?.authorization).toMatch(/^Basic /);
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
