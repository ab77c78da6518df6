import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ArtifactType,
  EMPTY_CONFIG_BYTES,
  MediaType,
  exitCodeOf,
  isModuleSourceAddress,
  isValidTag,
  openTarget,
  sha256Digest,
  type ReadOnlyTarget,
  type Target,
} from "@tofu-oci/core";
import { moduleSourceAsOpenTofu } from "@tofu-oci/opentofu";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { buildZip, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { verify, type VerifyOptions, type VerifyRecord } from "../src/index.js";
import { ArtifactWriter, imageManifest } from "./artifacts.js";

/**
 * The case tables of issue 17 (docs/contract/opentofu-rules.md), run through verify's real
 * decision path: what verify says about each input must never be "installs" where OpenTofu's code
 * fails. The JSON and tag families are stored in the real registry (the JSON bytes the registry
 * refuses go to an OCI layout on disk, which stores any bytes).
 */

const registry = inject("registries").plain;
const clientOptions = { plainHttp: true };
const table = <T>(path: string) =>
  (JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { cases: T[] }).cases;

const MODULE_ZIP = buildZip([{ name: "main.tf", content: 'variable "x" {}\n' }]);
const PROVIDER_ZIP = buildZip([{ name: "terraform-provider-thing_v1.0.0", content: "#!/bin/sh\n", mode: 0o755 }]);

/** Runs verify; a thrown error becomes its exit code (usage errors are 2). */
async function outcomeOf(
  options: VerifyOptions,
): Promise<{ record?: VerifyRecord; exitCode?: number; error?: string }> {
  try {
    const [record] = await verify(options);
    return { record: record! };
  } catch (error) {
    return { exitCode: exitCodeOf(error), error: (error as Error).message };
  }
}

const failedIds = (record: VerifyRecord) => record.checks.filter((check) => !check.ok).map((check) => check.id);

/** Runs `task` over `items`, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

interface SourceCase {
  name: string;
  source: string;
  options?: object;
  expect: {
    kind: "oci" | "other" | "error";
    tag?: string;
    digest?: string;
    registry?: string;
    repository?: string;
    subdirInPackage?: string | null;
    bug?: string;
  };
}

/**
 * Valid OpenTofu addresses that tofu-oci refuses on purpose (verify README, "Not mirrored"): a
 * usage error, never a false pass.
 */
const STRICTER: Record<string, string> = {
  "oci://registry.example.com:1:2/net": "a host with two ports: tofu-oci's host grammar takes one",
  [`oci://registry.example.com/net?digest=sha512:${"a".repeat(128)}`]: "sha512 digests: tofu-oci verifies sha256 only",
};

describe("go-getter.json: module sources through verify", () => {
  const cases = table<SourceCase>("../../core/test/cases/go-getter.json").filter((c) => c.options === undefined);

  /** A store that serves one valid module for whatever tag or digest it is asked, and records what was asked. */
  async function moduleStore(subdir: string | null | undefined): Promise<{ target: ReadOnlyTarget; asked: string[] }> {
    const memory = new MemoryTarget("registry.example.com/any");
    const dir = subdir === "*" ? "only" : subdir;
    const zip = buildZip(dir ? [{ name: `${dir}/main.tf`, content: "" }] : [{ name: "main.tf", content: "" }]);
    await new ArtifactWriter(memory).module({ tag: "served", layers: [{ bytes: zip }] });
    const asked: string[] = [];
    const target: ReadOnlyTarget = {
      name: memory.name,
      fetch: (descriptor) => memory.fetch(descriptor),
      exists: (descriptor) => memory.exists(descriptor),
      tags: () => memory.tags(),
      referrers: (subject) => memory.referrers(subject),
      resolve: (reference) => (asked.push(reference), memory.resolve("served")),
    };
    return { target, asked };
  }

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const { target, asked } = await moduleStore(c.expect.subdirInPackage);
    const { record, exitCode } = await outcomeOf({ reference: c.source, target });
    if (!isModuleSourceAddress(c.source)) {
      // Without a scheme verify reads HOST/REPO[:TAG] (docs/contract/design.md §2.1), not a module block's source;
      // the source it then gives to paste into OpenTofu must be one OpenTofu installs.
      if (typeof record?.source === "string") expect(moduleSourceAsOpenTofu(record.source).kind).toBe("oci");
      return;
    }
    if (c.expect.kind !== "oci" || STRICTER[c.source]) {
      // OpenTofu fails (or tofu-oci refuses on purpose): never "installs".
      expect(record?.ok ?? false).toBe(false);
      if (!record) expect(exitCode).toBe(2);
      return;
    }
    expect(record, `verify refused a source OpenTofu installs (exit ${exitCode})`).toBeDefined();
    expect(asked[0]).toBe(c.expect.digest ?? c.expect.tag);
    if (c.expect.bug) {
      expect(failedIds(record!)).toEqual(["subdir"]);
      expect(record!.checks.find((check) => check.id === "subdir")!.message).toContain("empty module");
      return;
    }
    expect(failedIds(record!)).toEqual([]);
    expect(record!.source).toMatch(
      new RegExp(`^oci://${c.expect.registry!.toLowerCase().replace(/[.[\]]/g, "\\$&")}/${c.expect.repository}[/?]`),
    );
    expect(record!.moduleDir).toBe(c.expect.subdirInPackage === "*" ? "only" : c.expect.subdirInPackage);
  });
});

interface JsonCase {
  name: string;
  target: "manifest" | "index";
  input?: string;
  inputBase64?: string;
  expect: { value: unknown } | { error: string };
}

describe("go-json.json: manifest bytes through verify (real registry, else an OCI layout)", () => {
  const cases = table<JsonCase>("../../opentofu/test/cases/go-json.json");
  const FAKE = `sha256:${"a".repeat(64)}`;
  const results = new Map<
    string,
    { record?: VerifyRecord; exitCode?: number; error?: string; where: "registry" | "layout" }
  >();

  // What an index case's entries point at: a real platform manifest (its zip layer is the module zip).
  const zipLayer = { mediaType: MediaType.zip, digest: sha256Digest(MODULE_ZIP), size: MODULE_ZIP.length };
  const PLATFORM_MANIFEST = Buffer.from(JSON.stringify(imageManifest(ArtifactType.providerTarget, [zipLayer])));

  /**
   * The case's bytes, with its placeholder digest replaced by one the repository has (the module
   * zip for a manifest, the platform manifest for an index), so the registry may accept them.
   */
  function bytesOf(c: JsonCase): Buffer {
    const raw = c.inputBase64 !== undefined ? Buffer.from(c.inputBase64, "base64") : Buffer.from(c.input ?? "", "utf8");
    const real = sha256Digest(c.target === "index" ? PLATFORM_MANIFEST : MODULE_ZIP);
    return Buffer.from(raw.toString("latin1").replaceAll(FAKE, real), "latin1");
  }

  async function putManifest(repo: string, bytes: Buffer, mediaType: string, reference = "1.0.0"): Promise<boolean> {
    const response = await fetch(`http://${registry.host}/v2/${repo}/manifests/${reference}`, {
      method: "PUT",
      headers: { "content-type": mediaType },
      body: new Uint8Array(bytes),
    });
    await response.arrayBuffer();
    return response.status === 201;
  }

  async function writeLayout(bytes: Buffer, mediaType: string): Promise<string> {
    const dir = join(tempDir("verify-go-json-").path, "layout");
    const blobs = join(dir, "blobs", "sha256");
    await mkdir(blobs, { recursive: true });
    for (const blob of [bytes, MODULE_ZIP, EMPTY_CONFIG_BYTES, PLATFORM_MANIFEST])
      await writeFile(join(blobs, sha256Digest(blob).slice(7)), blob);
    await writeFile(join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
    const entry = {
      mediaType,
      digest: sha256Digest(bytes),
      size: bytes.length,
      annotations: { "org.opencontainers.image.ref.name": "1.0.0" },
    };
    await writeFile(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [entry] }));
    return dir;
  }

  beforeAll(async () => {
    await eachLimited(cases, 6, async (c) => {
      const bytes = bytesOf(c);
      const mediaType = c.target === "index" ? MediaType.imageIndex : MediaType.imageManifest;
      const type = c.target === "index" ? "provider" : "module";
      const repo = uniqueRepository("verify/go-json");
      const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
      const writer = new ArtifactWriter(target as Target);
      await writer.blob(MODULE_ZIP, MediaType.zip);
      await writer.config();
      expect(await putManifest(repo, PLATFORM_MANIFEST, MediaType.imageManifest, sha256Digest(PLATFORM_MANIFEST))).toBe(
        true,
      );
      if (await putManifest(repo, bytes, mediaType)) {
        results.set(c.name, {
          ...(await outcomeOf({ reference: `${registry.host}/${repo}:1.0.0`, clientOptions, type })),
          where: "registry",
        });
      } else {
        results.set(c.name, {
          ...(await outcomeOf({ reference: `${await writeLayout(bytes, mediaType)}:1.0.0`, ociLayout: true, type })),
          where: "layout",
        });
      }
    });
  }, 240_000);

  it("stores the bytes the registry accepts in the registry", () => {
    const inRegistry = [...results.values()].filter((result) => result.where === "registry").length;
    expect(inRegistry).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const { record, exitCode } = results.get(c.name)!;
    expect(record, `exit ${exitCode}: ${results.get(c.name)!.error} (${results.get(c.name)!.where})`).toBeDefined();
    const json = record!.checks.find((check) => check.id === "manifest-json");
    if ("error" in c.expect) {
      expect(record!.ok).toBe(false);
      expect(failedIds(record!)[0]).toBe("manifest-json");
      expect(json!.message).toContain(c.expect.error);
    } else {
      expect(json?.ok, JSON.stringify(record!.checks, null, 1)).toBe(true);
    }
  });
});

interface TagCase {
  tag: string;
  expect:
    | { kind: "version"; version: string; lookupTag: string; sameTag: boolean }
    | { kind: "skipped"; error: string }
    | { kind: "crash"; panic: string };
}

describe("go-versions.json: provider tags in the real registry", () => {
  const cases = table<TagCase>("../../opentofu/test/cases/go-versions.json");
  const linux = { os: "linux", arch: "amd64", zip: PROVIDER_ZIP };
  const alone = new Map<string, Awaited<ReturnType<typeof outcomeOf>>>();
  const besides = new Map<string, Awaited<ReturnType<typeof outcomeOf>>>();

  /** Pushes the provider under each tag into a new repository; verifies `verified`. */
  async function verifyTag(tags: string[], verified: string) {
    const repo = uniqueRepository("verify/tags");
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const writer = new ArtifactWriter(target as Target);
    for (const tag of tags) await writer.provider({ tag, platforms: [linux] });
    return outcomeOf({
      reference: `${registry.host}/${repo}:${verified}`,
      clientOptions,
      provider: "registry.example.com/acme/thing",
    });
  }

  beforeAll(async () => {
    await eachLimited(cases, 6, async (c) => {
      if (!isValidTag(c.tag)) {
        alone.set(
          c.tag,
          await outcomeOf({ reference: `${registry.host}/verify/tags:${c.tag}`, clientOptions, type: "provider" }),
        );
        return;
      }
      alone.set(c.tag, await verifyTag([c.tag], c.tag));
      if (c.tag !== "1.0.0") besides.set(c.tag, await verifyTag(["1.0.0", c.tag], "1.0.0"));
    });
  }, 240_000);

  it.each(cases.map((c) => [JSON.stringify(c.tag), c] as const))("%s verified as itself", (_, c) => {
    const { record, exitCode } = alone.get(c.tag)!;
    if (!isValidTag(c.tag)) {
      // Not an OCI tag: a usage error, or (a tag with "+") a failed version-tag naming the tag to use.
      if (record) expect(failedIds(record)).toEqual(["version-tag"]);
      else expect(exitCode).toBe(2);
      return;
    }
    if (c.expect.kind === "version" && c.expect.sameTag) {
      expect(failedIds(record!), JSON.stringify(record!.checks, null, 1)).toEqual([]);
      return;
    }
    // Not listed, listed under another tag, or a crash: tofu init cannot install it from this tag.
    expect(record!.ok).toBe(false);
    expect(failedIds(record!)[0]).toBe("version-tag");
  });

  it.each(cases.filter((c) => isValidTag(c.tag) && c.tag !== "1.0.0").map((c) => [JSON.stringify(c.tag), c] as const))(
    "%s beside 1.0.0",
    (_, c) => {
      const { record } = besides.get(c.tag)!;
      const listing = record!.checks.find((check) => check.id === "available-versions")!;
      if (c.expect.kind === "crash") {
        expect(failedIds(record!)).toEqual(["available-versions"]);
        expect(listing.message).toContain("crashes for every version");
        return;
      }
      expect(failedIds(record!), JSON.stringify(record!.checks, null, 1)).toEqual([]);
      const misread = c.expect.kind === "version" && !c.expect.sameTag && c.expect.lookupTag !== "1.0.0";
      expect(listing.warning !== undefined).toBe(misread);
    },
  );
});

describe("repeated keys, read as Go reads them, in the real registry", () => {
  const linux = { os: "linux", arch: "amd64", zip: PROVIDER_ZIP };

  async function put(repo: string, json: string, mediaType: string, reference: string): Promise<void> {
    const response = await fetch(`http://${registry.host}/v2/${repo}/manifests/${reference}`, {
      method: "PUT",
      headers: { "content-type": mediaType },
      body: json,
    });
    expect(response.status, await response.text()).toBe(201);
  }

  it("a layer whose ſize (U+017F) repeats size: Go takes the later 999, so the blob fetch fails", async () => {
    const repo = uniqueRepository("verify/dup-keys");
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const writer = new ArtifactWriter(target as Target);
    const zip = await writer.blob(MODULE_ZIP, MediaType.zip);
    await writer.config();
    const manifest = JSON.stringify(imageManifest(ArtifactType.module, [zip])).replace(
      `"size":${zip.size}}`,
      `"size":${zip.size},"\u017fize":999}`,
    );
    await put(repo, manifest, MediaType.imageManifest, "1.0.0");
    const { record } = await outcomeOf({ reference: `${registry.host}/${repo}:1.0.0`, clientOptions });
    expect(failedIds(record!)).toEqual(["layer-digest"]);
    expect(record!.checks.find((check) => check.id === "layer-digest")!.message).toContain("999 bytes");
  });

  it("an index entry whose platform repeats: Go merges the objects, so os.version stays and the platform is not selected", async () => {
    const repo = uniqueRepository("verify/dup-keys");
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const writer = new ArtifactWriter(target as Target);
    const index = await writer.provider({ tag: "base", platforms: [linux] });
    const stored = JSON.parse(Buffer.concat(await (await target.fetch(index)).toArray()).toString("utf8")) as object;
    const json = JSON.stringify(stored).replace(
      '"platform":{"os":"linux","architecture":"amd64"}',
      '"platform":{"os":"linux","architecture":"amd64","os.version":"10.0"},"platform":{"os":"linux","architecture":"amd64"}',
    );
    expect(json).toContain("os.version");
    await put(repo, json, MediaType.imageIndex, "1.0.0");
    const { record } = await outcomeOf({
      reference: `${registry.host}/${repo}:1.0.0`,
      clientOptions,
      platforms: ["linux_amd64"],
    });
    expect(failedIds(record!)).toEqual(["platform-manifest"]);
  });
});
