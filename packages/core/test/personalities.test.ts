import { randomBytes } from "node:crypto";
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  exitCodeOf,
  fileContent,
  readAll,
  sha256Digest,
  staticCredentials,
  type Descriptor,
} from "@tofu-oci/core";
import { RegistryClient, RemoteRepository, type RegistryClientOptions } from "@tofu-oci/core/remote";
import {
  makeServerCertificate,
  PERSONALITIES,
  PERSONALITY_NAMES,
  startPersonality,
  tempDir,
  uniqueRepository,
  type CertificateFiles,
  type Knobs,
  type PersonalityName,
  type RequestRecord,
  type RunningPersonality,
} from "@tofu-oci/testkit";
import { writeFileSync } from "node:fs";
import { platformIndex, zipManifest } from "./support/artifacts.js";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// What the registry client does on each registry personality (tools/testkit/src/personalities),
// one catalogue row (docs/contract/registry-quirks.md) or a few per case: the upload strategy,
// chunk limits learned from refusals, mounts, redirected downloads, referrers, errors. The
// commands on top of it are tested on every personality by tools/e2e/test/registries-*.test.ts.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-core-personalities-");
const MiB = 1024 * 1024;
let certificates: CertificateFiles;
const running: RunningPersonality[] = [];

beforeAll(() => {
  certificates = makeServerCertificate(scratch.path);
});
afterAll(async () => {
  await Promise.all(running.map((front) => front.stop()));
  scratch.cleanup();
});

interface Bed {
  front: RunningPersonality;
  client: RegistryClient;
  repo(name?: string): RemoteRepository;
  /** Requests the front answered since the case began. */
  requests(): RequestRecord[];
}

async function bed(
  name: PersonalityName,
  options: { knobs?: Knobs; variant?: string; client?: RegistryClientOptions } = {},
): Promise<Bed> {
  const { defaultMode } = PERSONALITIES[name];
  const front = await startPersonality(name, {
    registry: registries[defaultMode],
    tls: defaultMode !== "plain",
    certificates,
    ...(options.knobs ? { knobs: options.knobs } : {}),
    ...(options.variant ? { variant: options.variant } : {}),
  });
  running.push(front);
  const client = new RegistryClient({
    plainHttp: front.plainHttp,
    ...(front.caFile ? { caFile: front.caFile } : {}),
    ...(front.credentials ? { credentials: staticCredentials(front.credentials) } : {}),
    retry: { retries: 4, minDelayMs: 10, maxDelayMs: 200 },
    ...options.client,
  });
  const start = front.requests.length;
  return {
    front,
    client,
    repo: (name = "repo") => new RemoteRepository(client, front.host, uniqueRepository(`core/personality/${name}`)),
    requests: () => front.requests.slice(start),
  };
}

function blob(size: number): { bytes: Buffer; descriptor: Descriptor; file: string } {
  const bytes = randomBytes(size);
  const file = join(scratch.path, `${sha256Digest(bytes).slice(7, 19)}.bin`);
  writeFileSync(file, bytes);
  return { bytes, file, descriptor: { mediaType: "archive/zip", digest: sha256Digest(bytes), size } };
}

async function pushModule(repo: RemoteRepository, size = 1024, tag = "1.0.0"): Promise<Descriptor> {
  const layer = blob(size);
  await repo.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  await repo.push(layer.descriptor, layer.bytes);
  const manifest = zipManifest(layer.descriptor, { title: "m.zip" });
  await repo.push(manifest.descriptor, manifest.bytes, { tag });
  return manifest.descriptor;
}

async function readBack(repo: RemoteRepository, descriptor: Descriptor): Promise<Buffer> {
  return readAll(await repo.fetch(descriptor), descriptor.size);
}

/** Blob upload requests, without auth challenges (401) and token requests. */
const uploads = (requests: RequestRecord[]) =>
  requests.filter(
    (r) =>
      ["POST", "PATCH", "PUT"].includes(r.method) &&
      r.status !== 401 &&
      (r.path.startsWith("/v2/") || r.path.startsWith("/artifacts-uploads/")) &&
      !r.path.includes("/manifests/"),
  );

describe.each(PERSONALITY_NAMES)("%s: one POST and one PUT per blob by default", (name) => {
  it("uploads without PATCH and reads the bytes back", async () => {
    const { repo, requests, client, front } = await bed(
      name,
      name === "gitlab" || name === "quay" ? { variant: "opentofu-types-allowed" } : {},
    );
    const target = repo();
    const layer = blob(3 * MiB);
    await target.push(layer.descriptor, fileContent(layer.file));
    expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    const sent = uploads(requests());
    expect(
      sent.map((r) => `${r.method} ${r.status}`),
      JSON.stringify(front.requests.slice(-10)),
    ).toEqual(["POST 202", "PUT 201"]);
    await client.close();
  });
});

describe("chunked uploads (chunkSize asked for) within the limits each registry teaches", () => {
  it("ghcr: a 416 with the limit in its message makes chunks smaller; a new session starts (ghcr-patch-4mib, ghcr-upload-unknown-on-retry)", async () => {
    const { repo, requests, client } = await bed("ghcr", {
      knobs: { patchMaxBody: 1 * MiB },
      client: { chunkSize: 2 * MiB },
    });
    const target = repo();
    const layer = blob(5 * MiB);
    await target.push(layer.descriptor, fileContent(layer.file));
    expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    const patches = requests().filter((r) => r.method === "PATCH");
    expect(patches[0]!.status).toBe(416);
    expect(patches.slice(1).every((r) => r.status === 202)).toBe(true);
    expect(client.knowledge(target.registry).chunkMaxBytes).toBeLessThan(1 * MiB);
    // The next blob goes straight to the smaller chunks.
    const second = blob(3 * MiB);
    const before = requests().length;
    await target.push(second.descriptor, fileContent(second.file));
    expect(
      requests()
        .slice(before)
        .filter((r) => r.status === 416),
    ).toEqual([]);
    await client.close();
  });

  it("ecr: PATCH answers 201 with a stale Range; parts under the minimum are learned; the last part rides on the PUT (ecr-patch-201, ecr-range-stale, ecr-min-part-5mb, ecr-empty-final-put-500)", async () => {
    const { repo, requests, client } = await bed("ecr", {
      knobs: { patchMinPart: 1 * MiB },
      client: { chunkSize: 512 * 1024 },
    });
    const target = repo();
    const layer = blob(3 * MiB + 1000);
    await target.push(layer.descriptor, fileContent(layer.file));
    expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    expect(client.knowledge(target.registry).chunkMinBytes).toBe(1 * MiB);
    const session = requests()
      .filter((r) => r.method === "PATCH" || r.method === "PUT")
      .slice(-4);
    expect(session.map((r) => `${r.method} ${r.status}`)).toEqual(["PATCH 201", "PATCH 201", "PATCH 201", "PUT 201"]);
    await client.close();
  });

  it("gar: chunks refused, the blob goes up whole; POSTs say Content-Length: 0; Locations outside /v2/ are followed (gar-no-chunked, gar-post-411, gar-upload-location-nonv2)", async () => {
    const { repo, requests, client } = await bed("gar", { client: { chunkSize: 1 * MiB } });
    const target = repo();
    for (const size of [3 * MiB, 2 * MiB]) {
      const layer = blob(size);
      await target.push(layer.descriptor, fileContent(layer.file));
      expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    }
    const sent = uploads(requests());
    expect(sent.filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([400]);
    expect(
      sent.filter((r) => r.method === "PUT").every((r) => r.path.startsWith("/artifacts-uploads/") && r.status === 201),
    ).toBe(true);
    expect(requests().some((r) => r.status === 411)).toBe(false);
    expect(client.knowledge(target.registry).chunkedRefused).toMatch(/HTTP 400/);
    await client.close();
  });

  it.each([
    ["acr", "acr-content-range-format"],
    ["zot", "put-bad-range-divergence"],
    ["ghcr", "ghcr-upload-location-singular"],
    ["harbor", "harbor-csrf-cookie"],
  ] as const)("%s: chunks go up as the registry takes them (%s)", async (name, _row) => {
    const { repo, requests, client } = await bed(name, { client: { chunkSize: 1 * MiB } });
    const target = repo();
    const layer = blob(2 * MiB + 7);
    await target.push(layer.descriptor, fileContent(layer.file));
    expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    expect(
      requests()
        .filter((r) => r.method === "PATCH")
        .map((r) => r.status),
    ).toEqual([202, 202]);
    await client.close();
  });
});

describe("mounts", () => {
  async function mountCase(name: PersonalityName) {
    const { repo, requests, client } = await bed(name);
    const source = repo("source");
    const layer = blob(2048);
    await source.push(layer.descriptor, layer.bytes);
    const target = repo("target");
    const mounted = await target.mount(layer.descriptor, source.repository);
    if (!mounted) await target.push(layer.descriptor, layer.bytes);
    expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    const posts = uploads(requests()).filter(
      (r) => r.method === "POST" && r.path.includes(`/v2/${target.repository}/`),
    );
    await client.close();
    return { mounted, posts };
  }

  it("distribution: a 201 that a HEAD confirms is a mount (mount-202-fallback)", async () => {
    const { mounted, posts } = await mountCase("distribution");
    expect([mounted, posts.map((r) => r.status)]).toEqual([true, [201]]);
  });

  it.each([
    ["artifactory", "artifactory-mount-202-autoshare"],
    ["ecr", "ecr-mount-optin-referenced"],
  ] as const)("%s: a 202 is not a mount, and the blob goes up into the session it opened (%s)", async (name, _row) => {
    const { mounted, posts } = await mountCase(name);
    expect(mounted).toBe(false);
    // The mount's POST is the only one: no second session was opened.
    expect(posts.map((r) => [r.path.includes("mount="), r.status])).toEqual([[true, 202]]);
  });

  it("harbor: a 401 for a source project that does not exist means a plain upload (harbor-mount-missing-project-401)", async () => {
    const { repo, client, requests } = await bed("harbor");
    const target = repo();
    const layer = blob(1024);
    expect(await target.mount(layer.descriptor, `missing-${randomBytes(4).toString("hex")}/x`)).toBe(false);
    await target.push(layer.descriptor, layer.bytes);
    expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    expect(requests().some((r) => r.path.includes("mount=") && r.status === 401)).toBe(true);
    await client.close();
  });
});

describe("downloads redirected to storage", () => {
  it.each([
    ["ecr", "s3-one-auth-mechanism"],
    ["acr", "acr-sas-auth-forward"],
    ["dockerhub", "dockerhub-cdn-redirect"],
    ["gar", "gar-relative-redirect"],
  ] as const)("%s: the storage host gets no Authorization (%s)", async (name, _row) => {
    const { repo, client, front, requests } = await bed(name);
    const target = repo();
    const layer = blob(1 * MiB);
    await target.push(layer.descriptor, layer.bytes);
    expect((await readBack(target, layer.descriptor)).equals(layer.bytes)).toBe(true);
    expect(requests().some((r) => r.method === "GET" && (r.status === 307 || r.status === 302))).toBe(true);
    if (name !== "gar") expect(front.storageUrl).toBeDefined();
    await client.close();
  });

  it.each(["ecr", "dockerhub"] as const)(
    "%s: a ranged GET (a resumed download) keeps Range across the redirect and drops Authorization",
    async (name) => {
      const { repo, client, front } = await bed(name);
      const target = repo();
      const layer = blob(4096);
      await target.push(layer.descriptor, layer.bytes);
      const response = await client.send({
        method: "GET",
        url: new URL(`/v2/${target.repository}/blobs/${layer.descriptor.digest}`, front.url),
        headers: { range: "bytes=1000-" },
        repository: target.repository,
        scopes: [`repository:${target.repository}:pull`],
      });
      expect([response.status, response.url.origin]).toEqual([206, front.storageUrl]);
      expect((await readAll(response.body, 4096)).equals(layer.bytes.subarray(1000))).toBe(true);
      await client.close();
    },
  );

  it("ghcr: a presigned URL that fails (expired) sends the client back to the registry once (presigned-head-and-expiry)", async () => {
    const { repo, client, requests } = await bed("ghcr", { knobs: { presignedTtlSeconds: -1 } });
    const target = repo();
    const layer = blob(1024);
    await target.push(layer.descriptor, layer.bytes);
    const error = await target.fetch(layer.descriptor).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(5);
    expect((error as Error).message).toMatch(/\(redirected to 127\.0\.0\.1:\d+\): HTTP 403$/);
    const gets = requests().filter(
      (r) => r.method === "GET" && r.path.endsWith(`/blobs/${layer.descriptor.digest}`) && r.status !== 401,
    );
    expect(gets.map((r) => r.status)).toEqual([307, 307]);
    await client.close();
  });

  it("ecr: a manifest GET without Docker-Content-Digest resolves to the digest of its bytes (ecr-get-manifest-no-digest)", async () => {
    const { repo, client } = await bed("ecr");
    const target = repo();
    const pushed = await pushModule(target);
    expect((await target.resolve("1.0.0")).digest).toBe(pushed.digest);
    await client.close();
  });
});

describe("referrers", () => {
  async function providerWithoutReferrers(target: RemoteRepository): Promise<Descriptor> {
    const zip = blob(512);
    await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    await target.push(zip.descriptor, zip.bytes);
    const manifest = zipManifest(zip.descriptor, { platform: { os: "linux", architecture: "amd64" } });
    await target.push(manifest.descriptor, manifest.bytes);
    const index = platformIndex([manifest]);
    await target.push(index.descriptor, index.bytes, { tag: "1.0.0" });
    return index.descriptor;
  }

  async function attachSbom(target: RemoteRepository, subject: Descriptor): Promise<Descriptor> {
    const bom = Buffer.from(JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.5", version: 1 }));
    const layer: Descriptor = {
      mediaType: "application/vnd.cyclonedx+json",
      digest: sha256Digest(bom),
      size: bom.length,
    };
    await target.push(layer, bom);
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: layer.mediaType,
      config: EMPTY_CONFIG,
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const descriptor: Descriptor = { mediaType: manifest.mediaType, digest: sha256Digest(bytes), size: bytes.length };
    await target.push(descriptor, bytes);
    return descriptor;
  }

  it("gitlab: the subject a missing sha256-<hex> tag resolves to is never its own referrers list (gitlab-dash-tag-resolves-digest)", async () => {
    const { repo, client } = await bed("gitlab", { variant: "opentofu-types-allowed" });
    const target = repo();
    const index = await providerWithoutReferrers(target);
    expect(await target.referrers(index)).toEqual([]);
    const sbom = await attachSbom(target, index);
    expect((await target.referrers(index)).map((d) => d.digest)).toEqual([sbom.digest]);
    await client.close();
  });

  it.each([
    ["ghcr", "referrers-303", "ghcr-referrers-404-then-303"],
    ["artifactory", undefined, "artifactory-referrers-406"],
  ] as const)("%s: the API answers no index, so the tag schema is used (%s %s)", async (name, variant, _row) => {
    const { repo, client, requests, front } = await bed(name, variant ? { variant } : {});
    const target = repo();
    const subject = await pushModule(target);
    const sbom = await attachSbom(target, subject);
    expect((await target.referrers(subject)).map((d) => d.digest)).toEqual([sbom.digest]);
    expect(client.knowledge(target.registry).referrersApi).toBe(false);
    // The 303 was not followed to the rate-limited web page.
    expect(front.requests.length).toBeGreaterThan(0);
    expect(requests().filter((r) => r.path.startsWith("/-/v2/packages"))).toEqual([]);
    await client.close();
  });

  it.each(["quay", "harbor", "zot"] as const)(
    "%s: the referrers API lists each referrer once (quay-referrers-quirks)",
    async (name) => {
      const { repo, client } = await bed(name, name === "quay" ? { variant: "opentofu-types-allowed" } : {});
      const target = repo();
      const subject = await pushModule(target);
      const sbom = await attachSbom(target, subject);
      expect((await target.referrers(subject)).map((d) => d.digest)).toEqual([sbom.digest]);
      expect(client.knowledge(target.registry).referrersApi).toBe(true);
      await client.close();
    },
  );
});

describe("authentication and errors", () => {
  it.each([
    ["dockerhub", "dockerhub-missing-repo-401"],
    ["ghcr", "ghcr-missing-or-private-403"],
  ] as const)(
    "%s: a repository that does not exist is 'not found, or not authorised' (exit 3), and absent for a push (%s)",
    async (name, _row) => {
      const { repo, client } = await bed(name);
      const target = repo("missing");
      const error = await target.resolve("1.0.0").catch((e: unknown) => e);
      expect(exitCodeOf(error)).toBe(3);
      expect((error as Error).message).toMatch(/not found, or not authorised to read it$/);
      expect(await target.exists({ mediaType: "archive/zip", digest: sha256Digest(Buffer.from("x")), size: 1 })).toBe(
        false,
      );
      await pushModule(target);
      await client.close();
    },
  );

  it("acr: the 0000... user's password is a refresh token, exchanged with an OAuth2 POST (acr-refresh-token-exchange)", async () => {
    const { repo, client, requests, front } = await bed("acr");
    expect(front.credentials?.username).toBe("00000000-0000-0000-0000-000000000000");
    await pushModule(repo());
    expect(requests().some((r) => r.method === "POST" && r.path === "/oauth2/token" && r.status === 200)).toBe(true);
    await client.close();
  });

  it.each([
    ["nexus", "nexus-basic-uppercase"],
    ["ecr", "ecr-basic-challenge"],
    ["gitlab", "gitlab-jwt-realm"],
  ] as const)("%s: its challenge is answered (%s)", async (name, _row) => {
    const { repo, client } = await bed(name, name === "gitlab" ? { variant: "opentofu-types-allowed" } : {});
    const target = repo();
    const pushed = await pushModule(target);
    expect((await target.resolve("1.0.0")).digest).toBe(pushed.digest);
    await client.close();
  });
});
