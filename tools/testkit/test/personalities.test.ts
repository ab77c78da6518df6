import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  makeServerCertificate,
  PERSONALITIES,
  PERSONALITY_NAMES,
  personalityGuide,
  personalityKnobs,
  REGISTRY_MODES,
  RegistryStorage,
  startPersonality,
  tempDir,
  uniqueRepository,
  UNREPRODUCED_ROWS,
  type CertificateFiles,
  type Knobs,
  type PersonalityName,
  type RegistryMode,
  type RunningPersonality,
} from "../src/index.js";
import {
  CarefulClient,
  OCI_INDEX,
  OCI_MANIFEST,
  raw,
  rawSocket,
  sha256,
  smallImage,
  type RawOptions,
  type Reply,
} from "./personality-client.js";

// Every personality in front of the real registry: raw exchanges prove each deviation
// (docs/contract/registry-quirks.md, by row id), and a careful spec client proves the registry
// still works there, in every registry mode. Whatever is let through must be stored intact.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-personalities-");
const fronts = new Map<string, Promise<RunningPersonality>>();
let certificates: CertificateFiles;

beforeAll(() => {
  certificates = makeServerCertificate(scratch.path);
});

afterAll(async () => {
  await Promise.all([...fronts.values()].map(async (front) => (await front).stop()));
  scratch.cleanup();
});

interface FrontSelection {
  mode?: RegistryMode;
  variant?: string;
  knobs?: Knobs;
}

/** One front per personality and selection, in front of the shared registry of that mode. */
function front(name: PersonalityName, { mode, variant, knobs }: FrontSelection = {}): Promise<RunningPersonality> {
  const registryMode = mode ?? PERSONALITIES[name].defaultMode;
  const key = JSON.stringify([name, registryMode, variant, knobs]);
  if (!fronts.has(key))
    fronts.set(key, startPersonality(name, { registry: registries[registryMode], variant, knobs, certificates }));
  return fronts.get(key)!;
}

const octets = { "content-type": "application/octet-stream" };
const emptyConfig = Buffer.from("{}");

/**
 * What a quirk check gets: the front, a careful client, a fresh repository and naive requests with valid credentials.
 */
class Bed {
  readonly client: CarefulClient;
  readonly repo: string;

  constructor(readonly front: RunningPersonality) {
    this.client = new CarefulClient(front);
    this.repo = uniqueRepository(`personality/${front.name}`);
  }

  url(path: string | URL): URL {
    return new URL(path, this.front.url);
  }

  /** A request with the Authorization a careful client would have, and nothing else careful about it. */
  async naive(method: string, path: string | URL, options: RawOptions & { scope?: string } = {}): Promise<Reply> {
    const auth = await this.client.authHeaders(options.scope ?? `repository:${this.repo}:pull,push`);
    return raw(this.url(path), { ...options, method, headers: { ...auth, ...options.headers }, ca: this.front.caFile });
  }

  /** POST with Content-Length: 0; returns the resolved session URL. */
  async session(repo = this.repo): Promise<URL> {
    const started = await this.naive("POST", `/v2/${repo}/blobs/uploads/`, {
      body: Buffer.alloc(0),
      scope: `repository:${repo}:pull,push`,
    });
    expect(started.status, started.text).toBe(202);
    return next(started, this.url(`/v2/${repo}/blobs/uploads/`));
  }

  /** Pushes smallImage (blobs and manifest) under the tags; returns its digests. */
  async pushImage(tags: string[] = ["v1"], repo = this.repo, extra: Record<string, unknown> = {}) {
    const image = smallImage(`${repo}-${tags.join()}-${JSON.stringify(extra)}`, extra);
    const layer = await this.client.uploadBlob(repo, image.layer);
    const config = await this.client.uploadBlob(repo, image.config);
    for (const tag of tags) {
      const put = await this.client.putManifest(repo, tag, image.manifest);
      expect(put.status, put.text).toBe(201);
    }
    return { ...image, layerDigest: layer, configDigest: config, digest: sha256(image.manifest) };
  }

  /** A manifest of an OpenTofu module (design.md): empty config, one archive/zip layer, artifactType modulepkg. */
  async openTofuModule(): Promise<Buffer> {
    const zip = Buffer.from(`PK module ${this.repo}`);
    await this.client.uploadBlob(this.repo, emptyConfig);
    await this.client.uploadBlob(this.repo, zip);
    return manifestOf(
      { artifactType: "application/vnd.opentofu.modulepkg" },
      { mediaType: "application/vnd.oci.empty.v1+json", bytes: emptyConfig },
      [{ mediaType: "archive/zip", bytes: zip }],
    );
  }

  /** The final PUT of an upload of `blob` (whose last part, or nothing, is `body`); checks what the registry stored. */
  async finish(location: URL, blob: Buffer, body = blob): Promise<void> {
    const put = await this.naive("PUT", withDigest(location, sha256(blob)), { body, headers: octets });
    expect(put.status, put.text).toBe(201);
    this.stored(sha256(blob), blob);
  }

  /** docker's upload: one PATCH streamed without Content-Length or Content-Range, then an empty PUT. */
  async streamedUpload(blob: Buffer, patchStatus: number): Promise<void> {
    const half = Math.floor(blob.length / 2);
    const streamed = await this.naive("PATCH", await this.session(), {
      body: Readable.from([blob.subarray(0, half), blob.subarray(half)]),
    });
    expect(streamed.status, streamed.text).toBe(patchStatus);
    await this.finish(next(streamed, this.url("/")), blob, Buffer.alloc(0));
  }

  /** POSTs a mount into `target`, by default with one token for the target and the source. */
  mount(
    target: string,
    digest: string,
    from = this.repo,
    scope = `repository:${target}:pull,push repository:${from}:pull`,
  ) {
    return this.naive("POST", `/v2/${target}/blobs/uploads/?mount=${digest}&from=${from}`, {
      body: Buffer.alloc(0),
      scope,
    });
  }

  /** Pushes tags a, b and c, and checks that `tags/list<query>` answers a first page of two with a spec Link. */
  async firstTagPage(query: string): Promise<void> {
    await this.pushImage(["a", "b", "c"]);
    const first = await this.naive("GET", `/v2/${this.repo}/tags/list${query}`);
    expect(first.json()).toEqual({ name: this.repo, tags: ["a", "b"] });
    expect(first.headers.link).toBe(`</v2/${this.repo}/tags/list?n=2&last=b>; rel="next"`);
  }

  /** Checks that the registry's storage holds exactly these bytes under the digest. */
  stored(digest: string, bytes?: Buffer): void {
    const path = new RegistryStorage(this.front.registry.dataDir).blobPath(digest);
    expect(path, `${digest} stored`).toBeDefined();
    const held = readFileSync(path!);
    expect(sha256(held)).toBe(digest);
    if (bytes) expect(held.equals(bytes)).toBe(true);
  }
}

function next(reply: Reply, base: URL): URL {
  expect(reply.headers.location, `Location in ${reply.status} ${reply.text}`).toBeDefined();
  return new URL(String(reply.headers.location), base);
}

function withDigest(url: URL, digest: string): URL {
  const target = new URL(url);
  target.searchParams.set("digest", digest);
  return target;
}

function manifestOf(
  fields: Record<string, unknown>,
  config: { mediaType: string; bytes: Buffer },
  layers: { mediaType: string; bytes: Buffer }[],
  mediaType = OCI_MANIFEST,
): Buffer {
  const descriptor = ({ mediaType: type, bytes }: { mediaType: string; bytes: Buffer }) => ({
    mediaType: type,
    digest: sha256(bytes),
    size: bytes.length,
  });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      ...fields,
      config: descriptor(config),
      layers: layers.map(descriptor),
    }),
  );
}

function errorMessage(reply: Reply): string {
  return reply.json<{ errors: { message: string }[] }>().errors[0]!.message;
}

function errorDetail(reply: Reply): unknown {
  return reply.json<{ errors: { detail?: unknown }[] }>().errors[0]!.detail;
}

async function patchChunks(
  bed: Bed,
  start: URL,
  blob: Buffer,
  size: number,
  expected: number,
): Promise<{ location: URL; ranges: string[] }> {
  let location = start;
  const ranges: string[] = [];
  for (let offset = 0; offset < blob.length; offset += size) {
    const chunk = blob.subarray(offset, offset + size);
    const patched = await bed.naive("PATCH", location, {
      body: chunk,
      headers: { ...octets, "content-range": `${offset}-${offset + chunk.length - 1}` },
    });
    expect(patched.status, patched.text).toBe(expected);
    ranges.push(String(patched.headers.range));
    location = next(patched, location);
  }
  return { location, ranges };
}

/** A login case: the personality's user name, its challenge's realm and service, and a push that works with them. */
function loginCase(
  name: PersonalityName,
  rows: string[],
  username: string,
  realm: { path: string; service?: string; onAuthHost?: boolean },
): QuirkCase {
  return {
    name,
    rows,
    title: `user ${username}, Bearer realm ${realm.path} on ${realm.onAuthHost ? "another" : "the registry"} host`,
    async check(bed) {
      expect(bed.front.credentials?.username).toBe(username);
      const origin = realm.onAuthHost ? bed.front.authUrl : bed.front.url;
      expect(origin).toBeDefined();
      const challenge = String((await raw(bed.url("/v2/"))).headers["www-authenticate"]);
      expect(challenge).toBe(`Bearer realm="${origin}${realm.path}",service="${realm.service ?? bed.front.host}"`);
      await bed.pushImage();
    },
  };
}

/** A case that pushes an image, then expects a status for one request about its manifest digest. */
function afterPushCase(
  name: PersonalityName,
  rows: string[],
  title: string,
  method: string,
  endpoint: "manifests" | "referrers",
  status: number,
): QuirkCase {
  return {
    name,
    rows,
    title,
    async check(bed) {
      const { digest } = await bed.pushImage();
      expect((await bed.naive(method, `/v2/${bed.repo}/${endpoint}/${digest}`)).status).toBe(status);
    },
  };
}

/** A quirk check: one row of the matrix. Adding a quirk to a personality adds a case here. */
interface QuirkCase {
  name: PersonalityName;
  rows: string[];
  title: string;
  variant?: string;
  knobs?: Knobs;
  check(bed: Bed): Promise<void>;
}

const MANIFEST_READ = { accept: OCI_MANIFEST };

const QUIRKS: QuirkCase[] = [
  // ---------------------------------------------------------------- ghcr
  {
    name: "ghcr",
    rows: ["ghcr-patch-4mib"],
    title:
      "a PATCH body over the limit gets 416, with or without Content-Length; chunks at the limit store the blob intact",
    knobs: { patchMaxBody: 1024 },
    async check(bed) {
      const over = await bed.naive("PATCH", await bed.session(), { body: Buffer.alloc(1025, 1), headers: octets });
      expect([over.status, over.code]).toEqual([416, "REQUESTED_RANGE_NOT_SATISFIABLE"]);
      expect(errorMessage(over)).toBe(
        "the request body is too large and exceeds the maximum permissible limit of 1024B",
      );
      const streamed = await bed.naive("PATCH", await bed.session(), {
        body: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]),
      });
      expect(streamed.status).toBe(416);
      const blob = randomBytes(2500);
      const { location } = await patchChunks(bed, await bed.session(), blob, 1024, 202);
      await bed.finish(location, blob, Buffer.alloc(0));
    },
  },
  {
    name: "ghcr",
    rows: ["ghcr-upload-location-singular"],
    title: "the upload Location uses /blobs/upload/<uuid>, and it works",
    async check(bed) {
      const location = await bed.session();
      expect(location.pathname).toMatch(new RegExp(`^/v2/${bed.repo}/blobs/upload/[0-9a-f-]+$`));
      const blob = Buffer.from("singular");
      await bed.finish(location, blob);
    },
  },
  {
    name: "ghcr",
    rows: ["ghcr-upload-unknown-on-retry"],
    title: "after a failed request the session answers 404 BLOB_UPLOAD_UNKNOWN; a new POST works",
    async check(bed) {
      const location = await bed.session();
      const first = await bed.naive("PATCH", location, { body: Buffer.from("abc"), headers: octets });
      expect(first.status).toBe(202);
      const replay = await bed.naive("PATCH", location, { body: Buffer.from("abc"), headers: octets });
      expect(replay.status).toBe(404);
      const newest = await bed.naive("PATCH", next(first, location), { body: Buffer.from("def"), headers: octets });
      expect([newest.status, newest.code]).toEqual([404, "BLOB_UPLOAD_UNKNOWN"]);
      await bed.client.uploadBlob(bed.repo, Buffer.from("again"));
    },
  },
  afterPushCase(
    "ghcr",
    ["ghcr-referrers-404-then-303"],
    "referrers answer 404 (until 2026-04)",
    "GET",
    "referrers",
    404,
  ),
  {
    name: "ghcr",
    rows: ["ghcr-referrers-404-then-303"],
    title: "variant referrers-303: a 303 to a GitHub page that answers 429 HTML",
    variant: "referrers-303",
    async check(bed) {
      const { digest } = await bed.pushImage();
      const answer = await bed.naive("GET", `/v2/${bed.repo}/referrers/${digest}`);
      expect(answer.status).toBe(303);
      const target = next(answer, bed.url("/"));
      expect(target.origin).toBe(bed.front.storageUrl);
      expect(target.pathname).toBe(
        `/-/v2/packages/container/package/${encodeURIComponent(bed.repo)}%2Freferrers%2Fsha256`,
      );
      const page = await raw(target);
      expect([page.status, page.headers["content-type"]]).toEqual([429, "text/html; charset=utf-8"]);
    },
  },
  {
    name: "ghcr",
    rows: ["ghcr-delete-405"],
    title: "DELETE of a manifest is 405 UNSUPPORTED",
    async check(bed) {
      const { digest } = await bed.pushImage();
      const deleted = await bed.naive("DELETE", `/v2/${bed.repo}/manifests/${digest}`);
      expect([deleted.status, deleted.code, errorMessage(deleted)]).toEqual([
        405,
        "UNSUPPORTED",
        "The operation is unsupported.",
      ]);
    },
  },
  {
    name: "ghcr",
    rows: ["ghcr-missing-or-private-403"],
    title:
      "a missing repository is 403 DENIED; the PAT used as a Bearer token is 403 invalid token; the realm is /token " +
      "on the registry host",
    async check(bed) {
      const missing = await bed.naive("GET", `/v2/${bed.repo}/manifests/latest`, {
        headers: MANIFEST_READ,
        scope: `repository:${bed.repo}:pull`,
      });
      expect([missing.status, missing.code]).toEqual([403, "DENIED"]);
      const pat = await raw(bed.url(`/v2/${bed.repo}/tags/list`), {
        headers: { authorization: `Bearer ${bed.front.credentials!.password}` },
      });
      expect([pat.status, pat.code, errorMessage(pat)]).toEqual([403, "DENIED", "invalid token"]);
      const challenge = String((await raw(bed.url("/v2/"))).headers["www-authenticate"]);
      expect(challenge).toBe(`Bearer realm="${bed.front.url}/token",service="${bed.front.host}"`);
    },
  },
  {
    name: "ghcr",
    rows: ["ghcr-429-hint-in-message"],
    title: "429 TOOMANYREQUESTS with the wait as a Go duration in the message and no Retry-After",
    knobs: { throttles: [{ body: "json-go-duration", limit: 1, windowSeconds: 60, methods: ["POST"] }] },
    async check(bed) {
      await bed.session();
      const limited = await bed.naive("POST", `/v2/${bed.repo}/blobs/uploads/`, { body: Buffer.alloc(0) });
      expect([limited.status, limited.code, limited.headers["retry-after"]]).toEqual([
        429,
        "TOOMANYREQUESTS",
        undefined,
      ]);
      expect(errorMessage(limited)).toMatch(/^retry-after: [\d.]+(µs|ms|s), allowed: 1\/minute$/);
    },
  },
  {
    name: "ghcr",
    rows: ["presigned-head-and-expiry", "s3-one-auth-mechanism"],
    title: "a blob GET is a 307 to presigned S3: Authorization gets S3's 400 XML, HEAD 403, a clean GET the bytes",
    async check(bed) {
      const { layer, layerDigest } = await bed.pushImage();
      const redirect = await bed.naive("GET", `/v2/${bed.repo}/blobs/${layerDigest}`, {
        scope: `repository:${bed.repo}:pull`,
      });
      expect(redirect.status).toBe(307);
      const target = next(redirect, bed.url("/"));
      expect(target.origin).toBe(bed.front.storageUrl);
      expect(target.searchParams.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
      const withAuth = await raw(target, { headers: { authorization: "Bearer x" } });
      expect([withAuth.status, withAuth.headers["content-type"]]).toEqual([400, "application/xml"]);
      expect(withAuth.text).toContain("<Code>InvalidArgument</Code><Message>Only one auth mechanism allowed");
      expect((await raw(target, { method: "HEAD" })).status).toBe(403);
      const clean = await raw(target);
      expect(clean.body.equals(layer)).toBe(true);
      const tampered = new URL(target);
      tampered.searchParams.set("X-Amz-Signature", "0".repeat(64));
      expect((await raw(tampered)).text).toContain("SignatureDoesNotMatch");
    },
  },
  {
    name: "ghcr",
    rows: ["presigned-head-and-expiry"],
    title: "an expired presigned URL is 403 Request has expired",
    knobs: { presignedTtlSeconds: -1 },
    async check(bed) {
      const { layerDigest } = await bed.pushImage();
      const redirect = await bed.naive("GET", `/v2/${bed.repo}/blobs/${layerDigest}`);
      const expired = await raw(next(redirect, bed.url("/")));
      expect(expired.status).toBe(403);
      expect(expired.text).toContain("<Message>Request has expired</Message>");
    },
  },
  {
    name: "ghcr",
    rows: ["tags-pagination-inconsistent"],
    title: "tags/list honours n and last with a Link header",
    async check(bed) {
      await bed.firstTagPage("?n=2");
      const second = await bed.naive("GET", `/v2/${bed.repo}/tags/list?n=2&last=b`);
      expect([second.json().tags, second.headers.link]).toEqual([["c"], undefined]);
    },
  },
  // ---------------------------------------------------------------- ecr
  {
    name: "ecr",
    rows: ["ecr-basic-challenge"],
    title: "Basic challenge with no token service; user AWS logs in",
    async check(bed) {
      const ping = await raw(bed.url("/v2/"));
      expect([ping.status, ping.headers["www-authenticate"]]).toEqual([
        401,
        `Basic realm="https://${bed.front.host}/",service="ecr.amazonaws.com"`,
      ]);
      expect(bed.front.credentials?.username).toBe("AWS");
      const basic = `Basic ${Buffer.from(`AWS:${bed.front.credentials!.password}`).toString("base64")}`;
      expect((await raw(bed.url("/v2/"), { headers: { authorization: basic } })).status).toBe(200);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-patch-201", "ecr-range-stale", "ecr-min-part-5mb"],
    title:
      "chunks of the minimum size answer 201 with a Range stuck at the first chunk; the last chunk in the PUT stores" +
      " the blob intact",
    knobs: { patchMinPart: 1024 },
    async check(bed) {
      const blob = randomBytes(2148);
      const { location, ranges } = await patchChunks(bed, await bed.session(), blob.subarray(0, 2048), 1024, 201);
      expect(ranges).toEqual(["0-1023", "0-1023"]);
      await bed.finish(location, blob, blob.subarray(2048));
      expect((await bed.client.getBlob(bed.repo, sha256(blob))).bytes.equals(blob)).toBe(true);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-min-part-5mb"],
    title: "a part after one under the minimum is refused (PATCH or PUT with a body)",
    knobs: { patchMinPart: 1024 },
    async check(bed) {
      const { location } = await patchChunks(bed, await bed.session(), Buffer.alloc(100, 7), 100, 201);
      const refused = await bed.naive("PATCH", location, {
        body: Buffer.alloc(100, 8),
        headers: { ...octets, "content-range": "100-199" },
      });
      expect([refused.status, refused.code]).toEqual([400, "BLOB_UPLOAD_INVALID"]);
      expect(errorMessage(refused)).toMatch(
        /^LayerPartTooSmallException: All layer parts except the last part should be at least 1024B$/,
      );
      const put = await bed.naive("PUT", withDigest(location, sha256(Buffer.alloc(200, 7))), {
        body: Buffer.alloc(100, 7),
        headers: octets,
      });
      expect(put.status).toBe(400);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-empty-final-put-500"],
    title: "an empty final PUT after two PATCHes is a bare 500; one streamed PATCH and an empty PUT work",
    knobs: { patchMinPart: 1024 },
    async check(bed) {
      const blob = randomBytes(2048);
      const { location } = await patchChunks(bed, await bed.session(), blob, 1024, 201);
      const put = await bed.naive("PUT", withDigest(location, sha256(blob)), { body: Buffer.alloc(0) });
      expect([put.status, put.body.length]).toEqual([500, 0]);
      await bed.streamedUpload(blob, 201);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-get-manifest-no-digest"],
    title: "manifest GET has no Docker-Content-Digest, HEAD has it",
    async check(bed) {
      const { digest } = await bed.pushImage();
      const got = await bed.naive("GET", `/v2/${bed.repo}/manifests/v1`, { headers: MANIFEST_READ });
      expect([got.status, got.headers["docker-content-digest"], sha256(got.body)]).toEqual([200, undefined, digest]);
      const head = await bed.naive("HEAD", `/v2/${bed.repo}/manifests/v1`, { headers: MANIFEST_READ });
      expect(head.headers["docker-content-digest"]).toBe(digest);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-manifest-validation-405"],
    title: "no top-level mediaType, or invalid JSON, is 405 UNSUPPORTED",
    async check(bed) {
      const { manifest } = await bed.pushImage();
      const { mediaType: _mediaType, ...bare } = JSON.parse(manifest.toString()) as Record<string, unknown>;
      const untyped = await bed.client.putManifest(bed.repo, "bare", Buffer.from(JSON.stringify(bare)));
      expect([untyped.status, untyped.code, errorMessage(untyped)]).toEqual([
        405,
        "UNSUPPORTED",
        "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
      ]);
      const broken = await bed.client.putManifest(bed.repo, "broken", Buffer.from("{"));
      expect([broken.status, broken.code]).toEqual([405, "UNSUPPORTED"]);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-mediatype-params"],
    title: "a layer media type with parameters is refused",
    async check(bed) {
      const layer = Buffer.from("bundle");
      await bed.client.uploadBlob(bed.repo, emptyConfig);
      await bed.client.uploadBlob(bed.repo, layer);
      const manifest = manifestOf({}, { mediaType: "application/vnd.oci.empty.v1+json", bytes: emptyConfig }, [
        { mediaType: "application/vnd.dev.sigstore.bundle+json;version=0.2", bytes: layer },
      ]);
      const put = await bed.client.putManifest(bed.repo, "bundle", manifest);
      expect([put.status, put.code]).toEqual([405, "UNSUPPORTED"]);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-tags-n-max-1000"],
    title: "a default page with Link, and n over the maximum is 400 UNSUPPORTED",
    knobs: { tags: { style: "spec", defaultN: 2, maxN: 3, overMax: "error" } },
    async check(bed) {
      await bed.firstTagPage("");
      const over = await bed.naive("GET", `/v2/${bed.repo}/tags/list?n=4`);
      expect([over.status, over.code]).toEqual([400, "UNSUPPORTED"]);
      expect(errorMessage(over)).toContain("less than or equal to 3");
    },
  },
  {
    name: "ecr",
    rows: ["ecr-mount-optin-referenced", "mount-202-fallback"],
    title: "a mount is a 202 session until a manifest of the source references the blob, then 201",
    async check(bed) {
      const target = uniqueRepository("personality/ecr-target");
      const image = smallImage(bed.repo);
      const digest = await bed.client.uploadBlob(bed.repo, image.layer);
      const early = await bed.mount(target, digest);
      expect([early.status, next(early, bed.url("/")).pathname]).toEqual([
        202,
        expect.stringMatching(/\/blobs\/uploads\//),
      ]);
      await bed.client.uploadBlob(bed.repo, image.config);
      expect((await bed.client.putManifest(bed.repo, "v1", image.manifest)).status).toBe(201);
      expect((await bed.mount(target, digest)).status).toBe(201);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-throttle"],
    title: "429 TOOMANYREQUESTS Rate exceeded, no Retry-After",
    knobs: { throttles: [{ body: "json", message: "Rate exceeded", limit: 1, windowSeconds: 60 }] },
    async check(bed) {
      await bed.naive("GET", "/v2/");
      const limited = await bed.naive("GET", "/v2/");
      expect([limited.status, limited.code, errorMessage(limited), limited.headers["retry-after"]]).toEqual([
        429,
        "TOOMANYREQUESTS",
        "Rate exceeded",
        undefined,
      ]);
    },
  },
  {
    name: "ecr",
    rows: ["ecr-oci-subject-without-api"],
    title: "a manifest with subject gets OCI-Subject, and the referrers API lists it",
    async check(bed) {
      const subject = await bed.pushImage();
      const referrer = await bed.pushImage(["sig"], bed.repo, {
        artifactType: "application/vnd.example.sig",
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      });
      const put = await bed.client.putManifest(bed.repo, "sig", referrer.manifest);
      expect(put.headers["oci-subject"]).toBe(subject.digest);
      const listed = await bed.naive("GET", `/v2/${bed.repo}/referrers/${subject.digest}`);
      expect([listed.status, listed.headers["content-type"]]).toEqual([200, OCI_INDEX]);
      expect(listed.json<{ manifests: { digest: string; artifactType: string }[] }>().manifests).toEqual([
        expect.objectContaining({
          digest: referrer.digest,
          artifactType: "application/vnd.example.sig",
          mediaType: OCI_MANIFEST,
        }),
      ]);
    },
  },
  // ---------------------------------------------------------------- ecr-public
  {
    name: "ecr-public",
    rows: ["ecr-public-bearer"],
    title: "the realm /token/ answers only `token`; Basic credentials on the API are 403 DENIED",
    async check(bed) {
      const challenge = String((await raw(bed.url("/v2/"))).headers["www-authenticate"]);
      expect(challenge).toBe(`Bearer realm="${bed.front.url}/token/",service="public.ecr.aws"`);
      const basic = `Basic ${Buffer.from(`AWS:${bed.front.credentials!.password}`).toString("base64")}`;
      const token = await raw(bed.url(`/token/?service=public.ecr.aws&scope=repository:${bed.repo}:pull`), {
        headers: { authorization: basic },
      });
      expect(token.status).toBe(200);
      expect(Object.keys(token.json()).sort()).toEqual(["expires_in", "issued_at", "token"]);
      const denied = await raw(bed.url(`/v2/${bed.repo}/tags/list`), { headers: { authorization: basic } });
      expect([denied.status, denied.code, errorMessage(denied)]).toEqual([
        403,
        "DENIED",
        "Your Authorization Token is invalid.",
      ]);
    },
  },
  {
    name: "ecr-public",
    rows: ["ecr-upload-status-404"],
    title: "GET of an upload session is 404",
    async check(bed) {
      const status = await bed.naive("GET", await bed.session());
      expect([status.status, status.code]).toEqual([404, "BLOB_UPLOAD_UNKNOWN"]);
    },
  },
  // ---------------------------------------------------------------- gar
  loginCase("gar", ["gar-oauth2accesstoken"], "oauth2accesstoken", { path: "/v2/token" }),
  {
    name: "gar",
    rows: ["gar-post-411"],
    title: "a POST without Content-Length gets Google's 411 HTML page",
    async check(bed) {
      const { authorization } = await bed.client.authHeaders(`repository:${bed.repo}:pull,push`);
      const refused = await rawSocket(bed.front.host, [
        `POST /v2/${bed.repo}/blobs/uploads/ HTTP/1.1`,
        `Authorization: ${authorization}`,
      ]);
      expect([refused.status, refused.headers["content-type"]]).toEqual([411, "text/html; charset=UTF-8"]);
      expect(refused.text).toContain("<title>Error 411 (Length Required)!!1</title>");
    },
  },
  {
    name: "gar",
    rows: ["gar-upload-location-nonv2"],
    title: "the upload Location is relative and outside /v2/, and PUT to it stores the blob",
    async check(bed) {
      const started = await bed.naive("POST", `/v2/${bed.repo}/blobs/uploads/`, { body: Buffer.alloc(0) });
      const [project, ...rest] = bed.repo.split("/");
      expect(started.headers.location).toMatch(
        new RegExp(`^/artifacts-uploads/namespaces/${project}/repositories/${rest.join("/")}/uploads/[\\w-]+$`),
      );
      const blob = Buffer.from("outside v2");
      await bed.finish(next(started, bed.url("/")), blob);
    },
  },
  {
    name: "gar",
    rows: ["gar-no-chunked"],
    title: "Content-Range chunks and second PATCHes are refused; one streamed PATCH and an empty PUT store the blob",
    async check(bed) {
      const ranged = await bed.naive("PATCH", await bed.session(), {
        body: Buffer.from("abc"),
        headers: { ...octets, "content-range": "0-2" },
      });
      expect([ranged.status, ranged.code]).toEqual([400, "BLOB_UPLOAD_INVALID"]);
      const session = await bed.session();
      const once = await bed.naive("PATCH", session, { body: Buffer.from("abc"), headers: octets });
      expect(once.status).toBe(202);
      expect(
        (await bed.naive("PATCH", next(once, session), { body: Buffer.from("def"), headers: octets })).status,
      ).toBe(400);
      const blob = randomBytes(5000);
      await bed.streamedUpload(blob, 202);
    },
  },
  {
    name: "gar",
    rows: ["gar-relative-redirect"],
    title: "a blob GET is a 302 to a relative URL on the same host that works with or without Authorization",
    async check(bed) {
      const { layer, layerDigest } = await bed.pushImage();
      const redirect = await bed.naive("GET", `/v2/${bed.repo}/blobs/${layerDigest}`);
      expect(redirect.status).toBe(302);
      expect(redirect.headers.location).toMatch(
        /^\/artifacts-downloads\/namespaces\/[^/]+\/repositories\/.+\/downloads\/[\w-]+\.[0-9a-f]+$/,
      );
      expect((await bed.naive("GET", String(redirect.headers.location))).body.equals(layer)).toBe(true);
      expect((await raw(bed.url(String(redirect.headers.location)))).body.equals(layer)).toBe(true);
    },
  },
  // ---------------------------------------------------------------- dockerhub
  {
    name: "dockerhub",
    rows: ["dockerhub-misc-headers"],
    title: "the realm is on another host and the token JSON comes as text/plain",
    async check(bed) {
      const challenge = String((await raw(bed.url("/v2/"))).headers["www-authenticate"]);
      expect(challenge).toBe(`Bearer realm="${bed.front.authUrl}/token",service="registry.docker.io"`);
      expect(bed.front.authUrl).not.toBe(bed.front.url);
      const { username, password } = bed.front.credentials!;
      const token = await raw(
        `${bed.front.authUrl}/token?service=registry.docker.io&scope=repository:${bed.repo}:pull`,
        {
          headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` },
        },
      );
      expect([token.status, token.headers["content-type"], typeof token.json().token]).toEqual([
        200,
        "text/plain; charset=utf-8",
        "string",
      ]);
    },
  },
  {
    name: "dockerhub",
    rows: ["dockerhub-missing-repo-401"],
    title: "a missing repository is 401 UNAUTHORIZED with a fresh valid token",
    async check(bed) {
      const scope = `repository:${bed.repo}:pull`;
      const missing = await bed.naive("GET", `/v2/${bed.repo}/manifests/latest`, { headers: MANIFEST_READ, scope });
      expect([missing.status, missing.code]).toEqual([401, "UNAUTHORIZED"]);
      expect(missing.headers["www-authenticate"]).toBe(
        `Bearer realm="${bed.front.authUrl}/token",service="registry.docker.io",` +
          `scope="${scope}",error="insufficient_scope"`,
      );
    },
  },
  {
    name: "dockerhub",
    rows: ["dockerhub-ratelimit-headers"],
    title: "ratelimit headers count manifest GETs, not HEADs; at the limit a 429 without Retry-After",
    knobs: { pullLimit: { limit: 2, windowSeconds: 3600 } },
    async check(bed) {
      await bed.pushImage();
      const path = `/v2/${bed.repo}/manifests/v1`;
      const first = await bed.naive("GET", path, { headers: MANIFEST_READ });
      expect([
        first.headers["ratelimit-limit"],
        first.headers["ratelimit-remaining"],
        first.headers["docker-ratelimit-source"],
      ]).toEqual(["2;w=3600", "1;w=3600", "127.0.0.1"]);
      expect((await bed.naive("HEAD", path, { headers: MANIFEST_READ })).headers["ratelimit-remaining"]).toBe(
        "1;w=3600",
      );
      expect((await bed.naive("GET", path, { headers: MANIFEST_READ })).headers["ratelimit-remaining"]).toBe(
        "0;w=3600",
      );
      const limited = await bed.naive("GET", path, { headers: MANIFEST_READ });
      expect([limited.status, limited.code, limited.headers["retry-after"]]).toEqual([
        429,
        "TOOMANYREQUESTS",
        undefined,
      ]);
      expect(errorMessage(limited)).toMatch(/^You have reached your pull rate limit\./);
    },
  },
  {
    name: "dockerhub",
    rows: ["dockerhub-hap429-plaintext"],
    title: "the anti-abuse 429 is plain text with Retry-After: 60",
    knobs: { throttles: [{ body: "hap429-text", retryAfterSeconds: 60, limit: 1, windowSeconds: 60 }] },
    async check(bed) {
      await raw(bed.url("/v2/"));
      const limited = await raw(bed.url("/v2/"));
      expect([limited.status, limited.headers["content-type"], limited.headers["retry-after"], limited.text]).toEqual([
        429,
        "text/plain",
        "60",
        "Too Many Requests (HAP429).\n",
      ]);
    },
  },
  {
    name: "dockerhub",
    rows: ["dockerhub-mount-needs-source-pull"],
    title: "(distribution) a mount needs pull on the source in the same token",
    async check(bed) {
      const { layerDigest } = await bed.pushImage();
      const target = uniqueRepository("personality/dockerhub-target");
      const narrow = await bed.mount(target, layerDigest, bed.repo, `repository:${target}:pull,push`);
      expect(narrow.status).toBe(401);
      expect((await bed.mount(target, layerDigest)).status).toBe(201);
    },
  },
  {
    name: "dockerhub",
    rows: ["dockerhub-cdn-redirect"],
    title: "a blob GET is a 307 to a CDN host that keeps Range working",
    async check(bed) {
      const { layer, layerDigest } = await bed.pushImage();
      const redirect = await bed.naive("GET", `/v2/${bed.repo}/blobs/${layerDigest}`, {
        headers: { range: "bytes=0-9" },
      });
      expect(redirect.status).toBe(307);
      const target = next(redirect, bed.url("/"));
      expect(target.origin).toBe(bed.front.storageUrl);
      const ranged = await raw(target, { headers: { range: "bytes=0-9" } });
      expect([ranged.status, ranged.headers["content-range"], ranged.body.equals(layer.subarray(0, 10))]).toEqual([
        206,
        `bytes 0-9/${layer.length}`,
        true,
      ]);
    },
  },
  afterPushCase(
    "dockerhub",
    ["delete-unsupported-variants"],
    "DELETE of a manifest is 405",
    "DELETE",
    "manifests",
    405,
  ),
  {
    name: "dockerhub",
    rows: ["tags-pagination-inconsistent"],
    title: "tags/list without n returns a first page with a Link",
    knobs: { tags: { style: "spec", defaultN: 2 } },
    async check(bed) {
      await bed.firstTagPage("");
    },
  },
  {
    name: "dockerhub",
    rows: ["dockerhub-no-referrers"],
    title: "(distribution) referrers are 404 and a subject gets no OCI-Subject",
    async check(bed) {
      const subject = await bed.pushImage();
      const referrer = smallImage("ref", {
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      });
      await bed.client.uploadBlob(bed.repo, referrer.layer);
      await bed.client.uploadBlob(bed.repo, referrer.config);
      const put = await bed.client.putManifest(bed.repo, "ref", referrer.manifest);
      expect([put.status, put.headers["oci-subject"]]).toEqual([201, undefined]);
      expect((await bed.naive("GET", `/v2/${bed.repo}/referrers/${subject.digest}`)).status).toBe(404);
    },
  },
  // ---------------------------------------------------------------- gitlab
  loginCase("gitlab", ["gitlab-jwt-realm"], "gitlab-ci-token", {
    path: "/jwt/auth",
    service: "container_registry",
    onAuthHost: true,
  }),
  {
    name: "gitlab",
    rows: ["gitlab-dash-tag-resolves-digest"],
    title: "a missing sha256-<hex> tag answers with the subject itself; referrers are 404",
    async check(bed) {
      const { digest } = await bed.pushImage();
      const dashTag = digest.replace(":", "-");
      const got = await bed.naive("GET", `/v2/${bed.repo}/manifests/${dashTag}`, { headers: MANIFEST_READ });
      expect([got.status, got.headers["docker-content-digest"], sha256(got.body)]).toEqual([200, digest, digest]);
      expect((await bed.naive("GET", `/v2/${bed.repo}/referrers/${digest}`)).status).toBe(404);
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }));
      expect((await bed.client.putManifest(bed.repo, dashTag, index, OCI_INDEX)).status).toBe(201);
      const tagged = await bed.naive("GET", `/v2/${bed.repo}/manifests/${dashTag}`, { headers: { accept: OCI_INDEX } });
      expect(sha256(tagged.body)).toBe(sha256(index));
    },
  },
  {
    name: "gitlab",
    rows: ["gitlab-mediatype-allowlist"],
    title: "OpenTofu's types are refused with `unknown media type`",
    async check(bed) {
      const put = await bed.client.putManifest(bed.repo, "module", await bed.openTofuModule());
      expect([put.status, put.code, errorDetail(put)]).toEqual([
        400,
        "MANIFEST_INVALID",
        "unknown media type: application/vnd.opentofu.modulepkg",
      ]);
    },
  },
  {
    name: "gitlab",
    rows: ["gitlab-mediatype-allowlist"],
    title: "variant opentofu-types-allowed: the same module is accepted",
    variant: "opentofu-types-allowed",
    async check(bed) {
      expect((await bed.client.putManifest(bed.repo, "module", await bed.openTofuModule())).status).toBe(201);
    },
  },
  {
    name: "gitlab",
    rows: ["token-multi-scope-ignored"],
    title: "variant 2018: a token asked for two scopes carries only the last",
    variant: "2018",
    async check(bed) {
      const other = uniqueRepository("personality/gitlab-other");
      const { authorization } = await bed.client.authHeaders(
        `repository:${bed.repo}:pull,push repository:${other}:pull`,
      );
      const claims = JSON.parse(Buffer.from(String(authorization).slice(7).split(".")[1]!, "base64url").toString()) as {
        access: { name: string }[];
      };
      expect(claims.access.map((access) => access.name)).toEqual([other]);
    },
  },
  // ---------------------------------------------------------------- harbor
  loginCase("harbor", ["harbor-robot-usernames"], "robot$tofu+ci", {
    path: "/service/token",
    service: "harbor-registry",
  }),
  {
    name: "harbor",
    rows: ["harbor-csrf-cookie"],
    title: "answers set CSRF cookies; a write that sends them back is 403",
    async check(bed) {
      const ping = await raw(bed.url("/v2/"));
      const cookies = (ping.headers["set-cookie"] ?? []).map((cookie) => cookie.split(";")[0]);
      expect(cookies).toEqual([expect.stringMatching(/^sid=/), expect.stringMatching(/^_gorilla_csrf=/)]);
      const refused = await bed.naive("POST", `/v2/${bed.repo}/blobs/uploads/`, {
        body: Buffer.alloc(0),
        headers: { cookie: cookies.join("; ") },
      });
      expect([refused.status, refused.code, errorMessage(refused)]).toEqual([403, "FORBIDDEN", "CSRF token invalid"]);
      await bed.session();
    },
  },
  {
    name: "harbor",
    rows: ["harbor-mount-missing-project-401"],
    title: "a mount from a project that does not exist is 401; from one that does, 202",
    async check(bed) {
      const { layerDigest } = await bed.pushImage();
      const target = uniqueRepository("personality/harbor-target");
      const missing = await bed.mount(target, layerDigest, "nosuchproject/x");
      expect([missing.status, errorMessage(missing)]).toEqual([401, "project nosuchproject not found"]);
      const other = uniqueRepository("personality/harbor-empty");
      await bed.client.uploadBlob(other, Buffer.from("something else"));
      expect((await bed.mount(target, layerDigest, other)).status).toBe(202);
    },
  },
  {
    name: "harbor",
    rows: ["delete-unsupported-variants"],
    title: "DELETE by tag is 400 UNSUPPORTED, by digest 202",
    async check(bed) {
      const { digest } = await bed.pushImage();
      const byTag = await bed.naive("DELETE", `/v2/${bed.repo}/manifests/v1`);
      expect([byTag.status, byTag.code]).toEqual([400, "UNSUPPORTED"]);
      expect(
        (await bed.naive("DELETE", `/v2/${bed.repo}/manifests/${digest}`, { scope: `repository:${bed.repo}:delete` }))
          .status,
      ).toBe(202);
    },
  },
  {
    name: "harbor",
    rows: ["harbor-referrers"],
    title: "the referrers API filters by artifactType and refuses a tag",
    async check(bed) {
      const subject = await bed.pushImage();
      const ref = await bed.pushImage(["sbom"], bed.repo, {
        artifactType: "application/vnd.example.sbom",
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      });
      const filtered = await bed.naive(
        "GET",
        `/v2/${bed.repo}/referrers/${subject.digest}?artifactType=application/vnd.example.sbom`,
      );
      expect([
        filtered.headers["oci-filters-applied"],
        filtered.json<{ manifests: { digest: string }[] }>().manifests.map((m) => m.digest),
      ]).toEqual(["artifactType", [ref.digest]]);
      const none = await bed.naive("GET", `/v2/${bed.repo}/referrers/${subject.digest}?artifactType=application/other`);
      expect(none.json<{ manifests: unknown[] }>().manifests).toEqual([]);
      expect((await bed.naive("GET", `/v2/${bed.repo}/referrers/v1`)).status).toBe(400);
    },
  },
  // ---------------------------------------------------------------- quay
  {
    name: "quay",
    rows: ["quay-tags-next-page"],
    title: "pages link an opaque next_page, `last` is ignored, following Link lists every tag",
    knobs: { tags: { style: "opaque-next-page", defaultN: 2 } },
    async check(bed) {
      await bed.pushImage(["t1", "t2", "t3", "t4", "t5"]);
      const first = await bed.naive("GET", `/v2/${bed.repo}/tags/list`);
      expect(first.json().tags).toEqual(["t1", "t2"]);
      expect(first.headers.link).toMatch(
        new RegExp(`^</v2/${bed.repo}/tags/list\\?next_page=[\\w-]+&n=2>; rel="next"$`),
      );
      const withLast = await bed.naive("GET", `/v2/${bed.repo}/tags/list?n=2&last=t2`);
      expect(withLast.json().tags).toEqual(["t1", "t2"]);
      expect(await bed.client.listTags(bed.repo)).toEqual({ tags: ["t1", "t2", "t3", "t4", "t5"], pages: 3 });
    },
  },
  {
    name: "quay",
    rows: ["quay-artifact-allowlist"],
    title: "layer types outside the enum and unknown config types are 400; the artifact manifest is 415",
    async check(bed) {
      const module = await bed.client.putManifest(bed.repo, "module", await bed.openTofuModule());
      expect([module.status, module.code]).toEqual([400, "MANIFEST_INVALID"]);
      expect((errorDetail(module) as { message: string }).message).toMatch(
        /^failed to parse manifest: manifest data does not match schema: 'archive\/zip' is not one of \['application/,
      );
      const layer = Buffer.from("x");
      await bed.client.uploadBlob(bed.repo, layer);
      const custom = manifestOf({}, { mediaType: "application/vnd.example.config+json", bytes: emptyConfig }, [
        { mediaType: "application/vnd.oci.image.layer.v1.tar", bytes: layer },
      ]);
      const refused = await bed.client.putManifest(bed.repo, "custom", custom);
      expect([refused.status, (errorDetail(refused) as { message: string }).message]).toEqual([
        400,
        "failed to parse manifest: config media type application/vnd.example.config+json is not allowed",
      ]);
      const artifact = Buffer.from(
        JSON.stringify({ mediaType: "application/vnd.oci.artifact.manifest.v1+json", artifactType: "x/y", blobs: [] }),
      );
      expect(
        (await bed.client.putManifest(bed.repo, "artifact", artifact, "application/vnd.oci.artifact.manifest.v1+json"))
          .status,
      ).toBe(415);
    },
  },
  {
    name: "quay",
    rows: ["quay-artifact-allowlist"],
    title: "variant opentofu-types-allowed: the module is accepted",
    variant: "opentofu-types-allowed",
    async check(bed) {
      expect((await bed.client.putManifest(bed.repo, "module", await bed.openTofuModule())).status).toBe(201);
    },
  },
  {
    name: "quay",
    rows: ["quay-docker-config-strict"],
    title: "a Docker schema 2 manifest with an OCI config is refused",
    async check(bed) {
      const image = smallImage(bed.repo);
      await bed.client.uploadBlob(bed.repo, image.layer);
      await bed.client.uploadBlob(bed.repo, image.config);
      const docker = manifestOf(
        {},
        { mediaType: "application/vnd.oci.image.config.v1+json", bytes: image.config },
        [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", bytes: image.layer }],
        "application/vnd.docker.distribution.manifest.v2+json",
      );
      const put = await bed.client.putManifest(
        bed.repo,
        "docker",
        docker,
        "application/vnd.docker.distribution.manifest.v2+json",
      );
      expect([put.status, put.code]).toEqual([400, "MANIFEST_INVALID"]);
    },
  },
  {
    name: "quay",
    rows: ["quay-referrers-quirks"],
    title: "referrers of an unknown subject are 400; the fallback tag's entries are merged in once",
    async check(bed) {
      const subject = await bed.pushImage();
      expect((await bed.naive("GET", `/v2/${bed.repo}/referrers/${sha256(Buffer.from("none"))}`)).status).toBe(400);
      const viaApi = await bed.pushImage(["a"], bed.repo, {
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      });
      const viaTag = await bed.pushImage(["b"], bed.repo, { artifactType: "application/vnd.example.tagged" });
      const descriptor = (digest: string, size: number) => ({ mediaType: OCI_MANIFEST, digest, size });
      const fallback = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: [
            descriptor(viaApi.digest, viaApi.manifest.length),
            descriptor(viaTag.digest, viaTag.manifest.length),
          ],
        }),
      );
      expect(
        (await bed.client.putManifest(bed.repo, subject.digest.replace(":", "-"), fallback, OCI_INDEX)).status,
      ).toBe(201);
      const listed = await bed.naive("GET", `/v2/${bed.repo}/referrers/${subject.digest}`);
      expect(listed.json<{ manifests: { digest: string }[] }>().manifests.map((m) => m.digest)).toEqual([
        viaApi.digest,
        viaTag.digest,
      ]);
    },
  },
  {
    name: "quay",
    rows: ["quay-429-html"],
    title: "429 with nginx's HTML page",
    knobs: { throttles: [{ body: "nginx-html", limit: 1, windowSeconds: 60 }] },
    async check(bed) {
      await raw(bed.url("/v2/"));
      const limited = await raw(bed.url("/v2/"));
      expect([limited.status, limited.headers["content-type"]]).toEqual([429, "text/html"]);
      expect(limited.text).toContain("<hr><center>nginx</center>");
    },
  },
  {
    name: "quay",
    rows: ["redhat-head-no-digest"],
    title: "variant redhat-cdn: manifest HEAD has no Docker-Content-Digest, GET has it",
    variant: "redhat-cdn",
    async check(bed) {
      const { digest } = await bed.pushImage();
      expect(
        (await bed.naive("HEAD", `/v2/${bed.repo}/manifests/v1`, { headers: MANIFEST_READ })).headers[
          "docker-content-digest"
        ],
      ).toBeUndefined();
      expect(
        (await bed.naive("GET", `/v2/${bed.repo}/manifests/v1`, { headers: MANIFEST_READ })).headers[
          "docker-content-digest"
        ],
      ).toBe(digest);
    },
  },
  // ---------------------------------------------------------------- acr
  {
    name: "acr",
    rows: ["acr-refresh-token-exchange"],
    title: "exchange, then POST /oauth2/token for an access_token; Basic with the refresh token on the API is 401",
    async check(bed) {
      expect(bed.front.credentials?.username).toBe("00000000-0000-0000-0000-000000000000");
      const form = (fields: Record<string, string>) => ({
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      const exchanged = await raw(
        bed.url("/oauth2/exchange"),
        form({ grant_type: "access_token", service: bed.front.host, access_token: registries.token.password! }),
      );
      const refreshToken = exchanged.json<{ refresh_token: string }>().refresh_token;
      expect([exchanged.status, typeof refreshToken]).toEqual([200, "string"]);
      const scope = `repository:${bed.repo}:pull,push`;
      const token = await raw(
        bed.url("/oauth2/token"),
        form({ grant_type: "refresh_token", service: bed.front.host, scope, refresh_token: refreshToken }),
      );
      const { access_token, token: plain } = token.json<{ access_token?: string; token?: string }>();
      expect([token.status, typeof access_token, plain]).toEqual([200, "string", undefined]);
      expect(
        (
          await raw(bed.url(`/v2/${bed.repo}/blobs/uploads/`), {
            method: "POST",
            headers: { authorization: `Bearer ${access_token}` },
          })
        ).status,
      ).toBe(202);
      const basic = `Basic ${Buffer.from(`${bed.front.credentials!.username}:${refreshToken}`).toString("base64")}`;
      expect((await raw(bed.url(`/v2/${bed.repo}/tags/list`), { headers: { authorization: basic } })).status).toBe(401);
    },
  },
  {
    name: "acr",
    rows: ["acr-content-range-format"],
    title: "Content-Range `bytes a-b/*` is refused, `a-b` accepted",
    async check(bed) {
      const session = await bed.session();
      const rfc = await bed.naive("PATCH", session, {
        body: Buffer.alloc(10, 1),
        headers: { ...octets, "content-range": "bytes 0-9/*" },
      });
      expect([rfc.status, errorDetail(rfc)]).toEqual([
        400,
        { Range: "bytes 0-9/*", Reason: "the Content-Range header format is invalid" },
      ]);
      expect(
        (
          await bed.naive("PATCH", session, {
            body: Buffer.alloc(10, 1),
            headers: { ...octets, "content-range": "0-9" },
          })
        ).status,
      ).toBe(202);
    },
  },
  {
    name: "acr",
    rows: ["acr-sas-auth-forward"],
    title: "a blob GET is a 307 to an Azure SAS URL that refuses Authorization with a 400",
    async check(bed) {
      const { layer, layerDigest } = await bed.pushImage();
      const target = next(await bed.naive("GET", `/v2/${bed.repo}/blobs/${layerDigest}`), bed.url("/"));
      expect([target.origin, target.searchParams.get("sp"), target.searchParams.has("sig")]).toEqual([
        bed.front.storageUrl,
        "r",
        true,
      ]);
      const withAuth = await raw(target, { headers: { authorization: "Bearer x" } });
      expect([withAuth.status, withAuth.text]).toEqual([
        400,
        expect.stringContaining(
          "<Code>InvalidAuthenticationInfo</Code><Message>Authentication information is not given in the correct " +
            "format.",
        ),
      ]);
      expect((await raw(target, { method: "HEAD" })).status).toBe(200);
      expect((await bed.client.getBlob(bed.repo, layerDigest)).bytes.equals(layer)).toBe(true);
    },
  },
  {
    name: "acr",
    rows: ["acr-tags-cap-1000"],
    title: "n over the maximum is capped silently, with a Link",
    knobs: { tags: { style: "spec", maxN: 2, overMax: "cap" } },
    async check(bed) {
      await bed.firstTagPage("?n=5");
    },
  },
  {
    name: "acr",
    rows: ["mcr-acr-429"],
    title: "429 TOOMANYREQUESTS with Retry-After, and MCR's plain-text Ref A form",
    knobs: {
      throttles: [{ body: "json", message: "too many requests", retryAfterSeconds: 1, limit: 1, windowSeconds: 60 }],
    },
    async check(bed) {
      await raw(bed.url("/v2/"));
      const limited = await raw(bed.url("/v2/"));
      expect([limited.status, limited.code, limited.headers["retry-after"]]).toEqual([429, "TOOMANYREQUESTS", "1"]);
      const mcr = await front("acr", {
        variant: "mcr",
        knobs: { throttles: [{ body: "afd-ref-text", limit: 1, windowSeconds: 60 }] },
      });
      await raw(new URL("/v2/", mcr.url));
      const text = await raw(new URL("/v2/", mcr.url));
      expect([text.status, text.headers["content-type"]]).toEqual([429, "text/plain"]);
      expect(text.text).toMatch(/^Ref A: [0-9A-F]{32} Ref B: \S+ Ref C: \d{4}-/);
    },
  },
  {
    name: "acr",
    rows: ["acr-referrers-missing-artifactType"],
    title: "the referrers API lists a referrer by its artifactType",
    async check(bed) {
      const subject = await bed.pushImage();
      const ref = await bed.pushImage(["sig"], bed.repo, {
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      });
      const listed = await bed.naive("GET", `/v2/${bed.repo}/referrers/${subject.digest}`);
      expect(listed.json<{ manifests: unknown[] }>().manifests).toEqual([
        expect.objectContaining({ digest: ref.digest, artifactType: "application/vnd.oci.image.config.v1+json" }),
      ]);
    },
  },
  // ---------------------------------------------------------------- artifactory
  {
    name: "artifactory",
    rows: ["artifactory-accept-406"],
    title: "manifest types in Accept on upload and tag calls are 406; application/json on tags is fine",
    async check(bed) {
      const accept = { accept: OCI_MANIFEST };
      expect(
        (await bed.naive("POST", `/v2/${bed.repo}/blobs/uploads/`, { body: Buffer.alloc(0), headers: accept })).status,
      ).toBe(406);
      await bed.pushImage();
      expect((await bed.naive("GET", `/v2/${bed.repo}/tags/list`, { headers: accept })).status).toBe(406);
      expect(
        (await bed.naive("GET", `/v2/${bed.repo}/tags/list`, { headers: { accept: "application/json" } })).status,
      ).toBe(200);
    },
  },
  afterPushCase("artifactory", ["artifactory-referrers-406"], "referrers answer 406", "GET", "referrers", 406),
  {
    name: "artifactory",
    rows: ["artifactory-mount-202-autoshare"],
    title: "a mount is always a 202 session, even when the source has the blob",
    async check(bed) {
      const { layerDigest } = await bed.pushImage();
      const target = uniqueRepository("personality/artifactory-target");
      expect((await bed.mount(target, layerDigest)).status).toBe(202);
    },
  },
  {
    name: "artifactory",
    rows: ["artifactory-history-required"],
    title: "an image config without history is MANIFEST_INVALID",
    async check(bed) {
      const layer = Buffer.from("layer");
      const config = Buffer.from(
        JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [sha256(layer)] } }),
      );
      await bed.client.uploadBlob(bed.repo, layer);
      await bed.client.uploadBlob(bed.repo, config);
      const put = await bed.client.putManifest(
        bed.repo,
        "v1",
        manifestOf({}, { mediaType: "application/vnd.oci.image.config.v1+json", bytes: config }, [
          { mediaType: "application/vnd.oci.image.layer.v1.tar", bytes: layer },
        ]),
      );
      expect([put.status, put.code]).toEqual([400, "MANIFEST_INVALID"]);
    },
  },
  {
    name: "artifactory",
    rows: ["artifactory-requires-patch"],
    title: "variant 6.x: POST then PUT of the whole blob is 404 BLOB_UNKNOWN; with a PATCH first it works",
    variant: "6.x",
    async check(bed) {
      const blob = Buffer.from("needs a patch");
      const put = await bed.naive("PUT", withDigest(await bed.session(), sha256(blob)), {
        body: blob,
        headers: octets,
      });
      expect([put.status, put.code]).toEqual([404, "BLOB_UNKNOWN"]);
      const patched = await bed.naive("PATCH", await bed.session(), { body: blob, headers: octets });
      await bed.finish(next(patched, bed.url("/")), blob, Buffer.alloc(0));
    },
  },
  // ---------------------------------------------------------------- nexus
  {
    name: "nexus",
    rows: ["nexus-basic-uppercase"],
    title: "401 with an uppercase BASIC challenge and an empty JSON body",
    async check(bed) {
      const ping = await raw(bed.url("/v2/"));
      expect([ping.status, ping.headers["www-authenticate"], ping.headers["content-type"], ping.body.length]).toEqual([
        401,
        'BASIC realm="Sonatype Nexus Repository Manager"',
        "application/json",
        0,
      ]);
      await bed.pushImage();
    },
  },
  {
    name: "nexus",
    rows: ["nexus-null-realm"],
    title: "in front of a token registry: the Docker Bearer Token Realm /v2/token",
    async check(bed) {
      const tokenFront = await front("nexus", { mode: "token" });
      expect(String((await raw(new URL("/v2/", tokenFront.url))).headers["www-authenticate"])).toBe(
        `Bearer realm="${tokenFront.url}/v2/token",service="${tokenFront.host}"`,
      );
      expect(bed.front.name).toBe("nexus");
    },
  },
  {
    name: "nexus",
    rows: ["location-host-port-mismatch"],
    title: "variant behind-proxy: the upload Location names another port, which works",
    variant: "behind-proxy",
    async check(bed) {
      const location = await bed.session();
      expect(location.host).not.toBe(bed.front.host);
      const blob = Buffer.from("elsewhere");
      await bed.finish(location, blob);
    },
  },
  // ---------------------------------------------------------------- zot
  {
    name: "zot",
    rows: ["zot-docker2s2-rejected"],
    title: "a Docker schema 2 manifest is 400 MANIFEST_INVALID",
    async check(bed) {
      const image = smallImage(bed.repo);
      await bed.client.uploadBlob(bed.repo, image.layer);
      await bed.client.uploadBlob(bed.repo, image.config);
      const dockerType = "application/vnd.docker.distribution.manifest.v2+json";
      const docker = manifestOf(
        {},
        { mediaType: "application/vnd.docker.container.image.v1+json", bytes: image.config },
        [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", bytes: image.layer }],
        dockerType,
      );
      const put = await bed.client.putManifest(bed.repo, "docker", docker, dockerType);
      expect([put.status, put.code]).toEqual([400, "MANIFEST_INVALID"]);
      expect(errorDetail(put)).toEqual(expect.objectContaining({ mediaType: dockerType }));
    },
  },
  {
    name: "zot",
    rows: ["put-bad-range-divergence"],
    title: "a final PUT whose Content-Range does not start at the offset is 416",
    async check(bed) {
      const patched = await bed.naive("PATCH", await bed.session(), {
        body: Buffer.alloc(10, 1),
        headers: { ...octets, "content-range": "0-9" },
      });
      const put = await bed.naive("PUT", withDigest(next(patched, bed.url("/")), sha256(Buffer.alloc(20, 1))), {
        body: Buffer.alloc(10, 1),
        headers: { ...octets, "content-range": "20-29" },
      });
      expect(put.status).toBe(416);
    },
  },
  // ---------------------------------------------------------------- distribution (what the registry itself does)
  {
    name: "distribution",
    rows: ["distribution-location-state-query"],
    title: "Locations carry a new _state each time; an old one is 404 BLOB_UPLOAD_INVALID",
    async check(bed) {
      const location = await bed.session();
      const patched = await bed.naive("PATCH", location, { body: Buffer.from("abc"), headers: octets });
      const newer = next(patched, location);
      expect([
        location.searchParams.has("_state"),
        newer.searchParams.get("_state") !== location.searchParams.get("_state"),
      ]).toEqual([true, true]);
      const stale = await bed.naive("PATCH", location, { body: Buffer.from("abc"), headers: octets });
      expect([stale.status, stale.code]).toEqual([404, "BLOB_UPLOAD_INVALID"]);
    },
  },
  {
    name: "distribution",
    rows: ["distribution-post-digest-202"],
    title: "POST ?digest= with the body is a 202 session and stores nothing",
    async check(bed) {
      const blob = Buffer.from(`single post ${bed.repo}`);
      const post = await bed.naive("POST", `/v2/${bed.repo}/blobs/uploads/?digest=${sha256(blob)}`, {
        body: blob,
        headers: octets,
      });
      expect(post.status).toBe(202);
      expect((await bed.naive("HEAD", `/v2/${bed.repo}/blobs/${sha256(blob)}`)).status).toBe(404);
    },
  },
  {
    name: "distribution",
    rows: ["range-header-semantics", "docker-streamed-patch-no-length"],
    title: "Range is 0-0 on an empty session and cumulative after PATCHes, streamed ones included",
    async check(bed) {
      const location = await bed.session();
      expect((await bed.naive("GET", location)).headers.range).toBe("0-0");
      const streamed = await bed.naive("PATCH", location, { body: Readable.from([Buffer.from("hello")]) });
      expect([streamed.status, streamed.headers["content-length"], streamed.headers.range]).toEqual([202, "0", "0-4"]);
      const more = await bed.naive("PATCH", next(streamed, location), { body: Buffer.from("world"), headers: octets });
      expect(more.headers.range).toBe("0-9");
    },
  },
  {
    name: "distribution",
    rows: ["mount-202-fallback"],
    title: "a mount is 201 when the source has the blob, 202 when not",
    async check(bed) {
      const { layerDigest } = await bed.pushImage();
      const target = uniqueRepository("personality/distribution-target");
      expect((await bed.mount(target, layerDigest)).status).toBe(201);
      expect((await bed.mount(target, sha256(Buffer.from("absent")))).status).toBe(202);
    },
  },
  {
    name: "distribution",
    rows: ["accept-negotiation-404"],
    title: "an OCI manifest asked for with Docker types only is 404 MANIFEST_UNKNOWN",
    async check(bed) {
      await bed.pushImage();
      const got = await bed.naive("GET", `/v2/${bed.repo}/manifests/v1`, {
        headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" },
      });
      expect([got.status, got.code, errorMessage(got)]).toEqual([
        404,
        "MANIFEST_UNKNOWN",
        "OCI manifest found, but accept header does not support OCI manifests",
      ]);
    },
  },
  {
    name: "distribution",
    rows: ["distribution-invalid-name-text-404"],
    title: "uppercase in a later path component is the router's plain-text 404",
    async check(bed) {
      const answer = await bed.naive("GET", `/v2/${bed.repo}/Upper/tags/list`);
      expect([answer.status, answer.headers["content-type"], answer.text]).toEqual([
        404,
        "text/plain; charset=utf-8",
        "404 page not found\n",
      ]);
    },
  },
  {
    name: "distribution",
    rows: ["put-bad-range-divergence"],
    title: "a final PUT with a wrong Content-Range is appended (2.8.2)",
    async check(bed) {
      const patched = await bed.naive("PATCH", await bed.session(), {
        body: Buffer.from("abc"),
        headers: { ...octets, "content-range": "0-2" },
      });
      const put = await bed.naive("PUT", withDigest(next(patched, bed.url("/")), sha256(Buffer.from("abcdef"))), {
        body: Buffer.from("def"),
        headers: { ...octets, "content-range": "9-11" },
      });
      expect(put.status).toBe(201);
      bed.stored(sha256(Buffer.from("abcdef")));
    },
  },
  {
    name: "distribution",
    rows: ["ghcr-subject-stored-no-header", "dockerhub-no-referrers"],
    title: "subject is stored without OCI-Subject; referrers are the router's 404",
    async check(bed) {
      const subject = await bed.pushImage();
      const withSubject = {
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      };
      const referrer = smallImage("subject", withSubject);
      await bed.client.uploadBlob(bed.repo, referrer.layer);
      await bed.client.uploadBlob(bed.repo, referrer.config);
      const put = await bed.client.putManifest(bed.repo, "ref", referrer.manifest);
      expect([put.status, put.headers["oci-subject"]]).toEqual([201, undefined]);
      expect((await bed.client.getManifest(bed.repo, "ref")).bytes.equals(referrer.manifest)).toBe(true);
      const referrers = await bed.naive("GET", `/v2/${bed.repo}/referrers/${subject.digest}`);
      expect([referrers.status, referrers.text]).toEqual([404, "404 page not found\n"]);
    },
  },
  {
    name: "distribution",
    rows: ["delete-unsupported-variants"],
    title: "DELETE by tag is 400 DIGEST_INVALID, by digest 202",
    async check(bed) {
      const { digest } = await bed.pushImage();
      expect((await bed.naive("DELETE", `/v2/${bed.repo}/manifests/v1`)).code).toBe("DIGEST_INVALID");
      expect((await bed.naive("DELETE", `/v2/${bed.repo}/manifests/${digest}`)).status).toBe(202);
    },
  },
];

/** The spec flow a careful client runs everywhere: monolithic uploads, manifest PUT/GET, blob GET, tags by Link. */
async function carefulFlow(running: RunningPersonality): Promise<void> {
  const bed = new Bed(running);
  const { layer, layerDigest, digest, manifest } = await bed.pushImage(["v1", "v2", "v3"]);
  const got = await bed.client.getManifest(bed.repo, "v1");
  expect([got.digest, got.bytes.equals(manifest)]).toEqual([digest, true]);
  expect((await bed.client.getManifest(bed.repo, digest)).bytes.equals(manifest)).toBe(true);
  expect((await bed.client.getBlob(bed.repo, layerDigest)).bytes.equals(layer)).toBe(true);
  expect((await bed.client.listTags(bed.repo, 2)).tags).toEqual(["v1", "v2", "v3"]);
  bed.stored(layerDigest, layer);
}

// Cases use their own repositories and fronts, so they run concurrently (the registry waits on disk more than on CPU).
describe.concurrent("registry personalities: a careful client works in front of every registry mode", () => {
  const matrix = PERSONALITY_NAMES.flatMap((name) => REGISTRY_MODES.map((mode) => [name, mode] as const));
  it.each(matrix)("%s in front of a %s registry", async (name, mode) => {
    await carefulFlow(await front(name, { mode }));
  });
});

describe.concurrent("registry personalities: each deviation, by catalogue row", () => {
  it.each(QUIRKS.map((quirk) => [`${quirk.name}: ${quirk.title} (${quirk.rows.join(", ")})`, quirk] as const))(
    "%s",
    async (_title, quirk) => {
      await quirk.check(new Bed(await front(quirk.name, { variant: quirk.variant, knobs: quirk.knobs })));
    },
  );
});

describe("registry personalities: the data", () => {
  const catalogue = readFileSync(
    fileURLToPath(new URL("../../../docs/contract/registry-quirks.md", import.meta.url)),
    "utf8",
  );
  const catalogueRows = new Map(
    catalogue
      .split("\n")
      .filter((line) => /^\| [a-z0-9]/.test(line) && !line.startsWith("| id "))
      .map((line) => {
        const cells = line.split("|").map((cell) => cell.trim());
        return [cells[1]!.split(" ")[0]!, cells.at(-2)!] as const;
      }),
  );
  const cited = (name: PersonalityName) => {
    const { quirks, native, variants } = PERSONALITIES[name];
    return [...quirks, ...Object.values(variants ?? {}).flat()]
      .flatMap((quirk) => quirk.rows)
      .concat(native.map((row) => row.row));
  };
  const allCited = new Set(PERSONALITY_NAMES.flatMap(cited));

  it("cites only rows of docs/contract/registry-quirks.md", () => {
    const unknown = [...allCited, ...Object.keys(UNREPRODUCED_ROWS)].filter((row) => !catalogueRows.has(row));
    expect(unknown).toEqual([]);
  });

  it("reproduces every catalogue row or says why not", () => {
    const neither = [...catalogueRows.keys()].filter((row) => !allCited.has(row) && !(row in UNREPRODUCED_ROWS));
    const both = Object.keys(UNREPRODUCED_ROWS).filter((row) => allCited.has(row));
    expect({ neither, both }).toEqual({ neither: [], both: [] });
    const confirmedSkipped = Object.keys(UNREPRODUCED_ROWS).filter((row) =>
      /^confirmed$/.test(catalogueRows.get(row) ?? ""),
    );
    expect(confirmedSkipped).toEqual(["manifest-size-limit"]);
  });

  it("has a matrix case for every row a personality cites", () => {
    const tested = new Set(QUIRKS.flatMap((quirk) => quirk.rows));
    expect([...allCited].filter((row) => !tested.has(row))).toEqual([]);
  });

  it("keeps the registries' real limits (tests use smaller ones)", () => {
    const MiB = 1024 * 1024;
    expect(personalityKnobs("ghcr").patchMaxBody).toBe(4 * MiB);
    expect(personalityKnobs("ecr").patchMinPart).toBe(5 * MiB);
    expect(personalityKnobs("ecr").tags).toEqual({ style: "spec", defaultN: 100, maxN: 1000, overMax: "error" });
    expect(personalityKnobs("acr").tags).toEqual({ style: "spec", maxN: 1000, overMax: "cap" });
    expect(personalityKnobs("quay").tags).toEqual({ style: "opaque-next-page", defaultN: 50 });
    expect(personalityKnobs("dockerhub").pullLimit).toEqual({ limit: 100, windowSeconds: 21600 });
    expect(personalityKnobs("dockerhub").throttles?.[0]).toEqual(
      expect.objectContaining({ body: "hap429-text", retryAfterSeconds: 60 }),
    );
    expect(personalityKnobs("ghcr").throttles?.map((throttle) => throttle.limit)).toEqual([2000, 44000]);
    expect(personalityKnobs("ghcr", { variant: "referrers-303" }).referrers).toBe("303-to-github");
    expect(personalityKnobs("distribution")).toEqual({});
  });

  it("names a variant or personality that does not exist", () => {
    expect(() => personalityKnobs("ghcr", { variant: "nope" })).toThrow(/ghcr has no variant nope: referrers-303/);
    expect(() => personalityKnobs("nope" as PersonalityName)).toThrow(/unknown personality nope/);
  });

  it("gives one line per registry for the README", () => {
    const guide = personalityGuide();
    expect(guide.map((entry) => entry.name)).toEqual([...PERSONALITY_NAMES]);
    for (const entry of guide) {
      expect(entry.clientMustDo).toMatch(/^[A-Z][^\n]+\.$/);
      expect(entry.userMustConfigure).toMatch(/^[^\n]+\.$/);
      expect(entry.rows.length).toBeGreaterThan(0);
    }
  });
});

describe("registry personalities: lifecycle", () => {
  it("starts its own registry in the personality's mode, serves TLS, and stops both", async () => {
    const running = await startPersonality("ecr", { tls: true });
    try {
      expect([
        running.registry.mode,
        running.backendAuth,
        running.plainHttp,
        running.url.startsWith("https://"),
      ]).toEqual(["basic", "basic", false, true]);
      expect(running.skopeoFlags).toEqual([
        "--cert-dir",
        expect.any(String),
        "--creds",
        `AWS:${running.credentials!.password}`,
      ]);
      await carefulFlow(running);
      expect(running.requests.some((record) => record.method === "PUT" && record.status === 201)).toBe(true);
    } finally {
      await running.stop();
    }
    await expect(raw(new URL("/v2/", running.registry.url))).rejects.toThrow();
  });

  it("answers a registry that is gone with 502", async () => {
    const running = await startPersonality("distribution", { mode: "plain" });
    const registryGone = await startPersonality("distribution", { registry: running.registry });
    await running.stop();
    try {
      expect((await raw(new URL("/v2/", registryGone.url))).status).toBe(502);
    } finally {
      await registryGone.stop();
    }
  });
});
