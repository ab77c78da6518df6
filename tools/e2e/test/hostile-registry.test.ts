import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Digest } from "@tofu-oci/core";
import { RegistryStorage, buildZip, parseRecords, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectFailure, onlyRecord } from "./support/expect-failure.js";
import { startHostileRegistry, type HostileRegistry } from "./support/hostile-registry.js";
import { makeUser, type User } from "./support/user.js";

// Hostile registry responses through the bins (issue 10): manifests over 4 MiB, a wrong
// Content-Type, digests that do not match, a Link and a redirect to another host (which must
// not get the Authorization header), endless bodies. Each ends in a documented exit code with
// one line, never a hang; nothing is written.
const scratch = tempDir("tofu-oci-e2e-hostile-");
let hostile: HostileRegistry;
let user: User;
beforeAll(async () => {
  hostile = await startHostileRegistry();
  user = makeUser(scratch.path, "user", { retries: 1, retryMinDelayMs: 1 });
});
afterAll(async () => {
  await hostile.close();
  scratch.cleanup();
});

/** Credentials for the hostile registry's Basic challenge on blobs. */
const CREDENTIALS = ["-u", "tofu", "--password-stdin"];
const PASSWORD = { stdin: "hostile-secret\n" };

describe("hostile registry responses", () => {
  // Issue 22, item 14: these exited 6 (invalid input) although the registry is at fault (5).
  it.each([
    ["a manifest over 4 MiB (Content-Length)", "a:oversized-declared", /over the 4 MiB limit/],
    ["a manifest over 4 MiB (chunked)", "a:oversized-chunked", /larger than 4194304|4 MiB/],
    ["an endless manifest body", "a:endless", /larger than 4194304|4 MiB/],
  ])(
    "mirror copy refuses %s as the registry's fault (exit 5), writing no layout entry",
    { timeout: 30_000 },
    async (name, ref, message) => {
      const out = join(scratch.path, `layout-${name.replace(/\W+/g, "-")}`);
      expectFailure(
        await user.run("mirror", [
          "copy",
          `${hostile.host}/${ref}`,
          `${out}:1.0.0`,
          "--to-oci-layout",
          "--plain-http",
          "--format",
          "json",
        ]),
        5,
        message,
      );
      expect(
        existsSync(join(out, "index.json")) ? JSON.parse(readFileSync(join(out, "index.json"), "utf8")).manifests : [],
      ).toEqual([]);
    },
  );

  it("verify fails a manifest whose Docker-Content-Digest does not match its bytes (exit 1)", async () => {
    const result = await user.run("verify", [`${hostile.host}/a:lying-digest`, "--plain-http", "--format", "json"]);
    expectFailure(result, 1, /would not install/);
    expect(parseRecords(result.stdout)[0]).toMatchObject({
      kind: "verification",
      ok: false,
      checks: expect.arrayContaining([expect.objectContaining({ ok: false })]),
    });
  });

  it("a manifest served with a wrong Content-Type: verify fails it as OpenTofu would, mirror copy keeps the manifest's own mediaType", async () => {
    const verified = await user.run("verify", [
      `${hostile.host}/a:wrong-content-type`,
      "--plain-http",
      "--format",
      "json",
    ]);
    expectFailure(verified, 1, /would not install/);
    expect(parseRecords(verified.stdout)[0]!.checks).toContainEqual(
      expect.objectContaining({ id: "manifest-media-type", ok: false }),
    );
    const copied = onlyRecord(
      await user.run(
        "mirror",
        [
          "copy",
          `${hostile.host}/a:wrong-content-type`,
          `${join(scratch.path, "content-type")}:1.0.0`,
          "--to-oci-layout",
          "--plain-http",
          ...CREDENTIALS,
          "--format",
          "json",
        ],
        PASSWORD,
      ),
    );
    expect(copied).toMatchObject({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: copied.sourceDigest,
    });
  });

  it("mirror copy refuses an endless blob body (exit 1) and writes no layout entry", { timeout: 30_000 }, async () => {
    const out = join(scratch.path, "endless-layout");
    expectFailure(
      await user.run("mirror", [
        "copy",
        `${hostile.host}/endless:1.0.0`,
        `${out}:1.0.0`,
        "--to-oci-layout",
        "--plain-http",
        "--format",
        "json",
      ]),
      1,
      /expected \d+ bytes, got more/,
    );
    expect(JSON.parse(readFileSync(join(out, "index.json"), "utf8")).manifests).toEqual([]);
  });

  it("mirror copy --all-tags does not follow a tag-list Link to another host", async () => {
    expectFailure(
      await user.run("mirror", [
        "copy",
        `${hostile.host}/a`,
        join(scratch.path, "link-layout"),
        "--all-tags",
        "--to-oci-layout",
        "--plain-http",
        "--format",
        "json",
      ]),
      5,
      /Link to another host/,
    );
    expect(hostile.requests.some((r) => r.path.includes("last=x"))).toBe(false);
  });

  it("mirror copy follows a blob redirect to another origin without the Authorization header", async () => {
    const record = onlyRecord(
      await user.run(
        "mirror",
        [
          "copy",
          `${hostile.host}/a:1.0.0`,
          `${join(scratch.path, "redirect-layout")}:1.0.0`,
          "--to-oci-layout",
          "--plain-http",
          ...CREDENTIALS,
          "--format",
          "json",
        ],
        PASSWORD,
      ),
    );
    expect(record.kind).toBe("artifact");
    const registryBlob = hostile.requests.filter(
      (r) => r.origin === "registry" && r.path.includes("/blobs/") && r.authorization,
    );
    expect(registryBlob.at(-1)?.authorization).toMatch(/^Basic /);
    const storage = hostile.requests.filter((r) => r.origin === "storage");
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.map((r) => r.authorization)).toEqual(storage.map(() => undefined));
  });
});

// Issue 22, items 3 and 5: a digest from a manifest is checked before it becomes part of a URL,
// and a listing of SBOMs proves nothing until one is read back.
describe("hostile digests and referrer lists", () => {
  it("verify never sends a layer digest that is a path (sha256:../../admin/...) to the registry (exit 1)", async () => {
    const result = await user.run("verify", [`${hostile.host}/a:escaping`, "--plain-http", "--format", "json"]);
    expectFailure(result, 1, /would not install/);
    const failed = (
      parseRecords(result.stdout)[0]!.checks as Array<{ id: string; ok: boolean; message: string }>
    ).filter((check) => !check.ok);
    expect(failed).toEqual([
      expect.objectContaining({ id: "layer-digest", message: expect.stringContaining("is not a valid digest") }),
    ]);
    expect(hostile.requests.filter((r) => r.path.includes("admin"))).toEqual([]);
  });

  it("verify --require-sbom reads the listed SBOMs back: 10,000 phantoms fail it after three reads, with a short message", async () => {
    const before = hostile.requests.length;
    const result = await user.run("verify", [
      `${hostile.host}/sboms:1.0.0`,
      "--require-sbom",
      "--plain-http",
      "--format",
      "json",
    ]);
    expectFailure(result, 1, /would not install/);
    const record = parseRecords(result.stdout)[0]!;
    const sbom = (record.checks as Array<{ id: string; ok: boolean; message: string }>).find(
      (check) => check.id === "sbom",
    );
    expect(sbom).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^10000 SBOM referrers are listed .* and 9997 more\), but none read back/),
    });
    expect(sbom!.message.length).toBeLessThan(2000);
    const sbomReads = hostile.requests
      .slice(before)
      .filter((r) => r.path.includes("/manifests/sha256:") && !r.path.endsWith(String(record.digest)));
    expect(sbomReads).toHaveLength(3);
  });

  it("mirror export stops at the first listed referrer that is missing, after a handful of requests", {
    timeout: 30_000,
  }, async () => {
    const before = hostile.requests.length;
    const out = join(scratch.path, "phantoms.tar");
    expectFailure(
      await user.run(
        "mirror",
        ["export", `${hostile.host}/sboms:1.0.0`, "-o", out, "--plain-http", ...CREDENTIALS, "--format", "json"],
        PASSWORD,
      ),
      3,
      /not found|404/,
    );
    expect(existsSync(out)).toBe(false);
    expect(hostile.requests.length - before).toBeLessThan(30);
  });
});

describe("damaged content in the real registry", () => {
  const registry = inject("registries").plain;

  it("a blob whose bytes do not match its digest: verify exits 1, a copy into a layout exits 1 and tags nothing", async () => {
    const repository = uniqueRepository("e2e/hostile/damaged");
    const zip = buildZip([{ name: "main.tf", content: `# ${repository}\n` }]);
    const file = join(scratch.path, "damaged.zip");
    writeFileSync(file, zip);
    onlyRecord(
      await user.run("push", [`${registry.host}/${repository}:1.0.0`, file, "--plain-http", "--format", "json"]),
    );
    const damaged = Buffer.from(zip);
    damaged[40] = damaged[40]! ^ 0xff;
    new RegistryStorage(registry.dataDir).plantBlob(repository, damaged, sha256Digest(zip));
    expectFailure(
      await user.run("verify", [`${registry.host}/${repository}:1.0.0`, "--plain-http", "--format", "json"]),
      1,
      /would not install/,
    );
    const out = join(scratch.path, "damaged-layout");
    expectFailure(
      await user.run("mirror", [
        "copy",
        `${registry.host}/${repository}:1.0.0`,
        `${out}:1.0.0`,
        "--to-oci-layout",
        "--plain-http",
        "--format",
        "json",
      ]),
      1,
      /sha256:/,
    );
    expect(JSON.parse(readFileSync(join(out, "index.json"), "utf8")).manifests).toEqual([]);
  });
});
