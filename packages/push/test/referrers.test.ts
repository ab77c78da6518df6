import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MediaType, type Descriptor } from "@tofu-oci/core";
import { RegistryClient, RemoteRepository, referrersTag } from "@tofu-oci/core/remote";
import { skopeoInspectRaw, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { CYCLONEDX, SPDX, writeModuleZip } from "./fixtures.js";
import { clientFor, onlyRecord, repositoryOf, runPush, tagsOf } from "./registry-helpers.js";

const registry = inject("registries").plain;
const dir = tempDir("tofu-oci-push-referrers-");
afterAll(() => dir.cleanup());
const spdx = join(dir.path, "sbom.spdx.json");
const cyclonedx = join(dir.path, "sbom.cdx.json");
writeFileSync(spdx, SPDX);
writeFileSync(cyclonedx, CYCLONEDX);

function subjectOf(record: Record<string, any>): Descriptor {
  return { mediaType: MediaType.imageManifest, digest: record.digest, size: record.size };
}

describe("SBOMs and attachments as referrers", () => {
  it("on distribution (no referrers API) they are found through the referrers tag schema", async () => {
    const repository = uniqueRepository("push/referrers/tagschema");
    const ref = `${registry.host}/${repository}:1.0.0`;
    const zip = writeModuleZip(dir.path, "tagschema", "tagschema.zip");
    const record = onlyRecord(await runPush([ref, zip.file, "--plain-http", "--sbom", spdx]));
    const attached = onlyRecord(await runPush(["attach", ref, cyclonedx, "--plain-http"]));
    expect(attached).toMatchObject({
      kind: "referrer",
      subject: record.digest,
      artifactType: "application/vnd.cyclonedx+json",
    });

    const client = clientFor(registry);
    const target = repositoryOf(client, registry, repository);
    const subject = subjectOf(record);
    expect(await tagsOf(target)).toContain(referrersTag(subject));
    const found = await target.referrers(subject);
    expect(found.map((r) => r.artifactType).sort()).toEqual([
      "application/spdx+json",
      "application/vnd.cyclonedx+json",
    ]);
    expect(found.map((r) => r.digest)).toContain(record.referrers[0].digest);
    const index = JSON.parse(
      (
        await skopeoInspectRaw(`${registry.host}/${repository}:${referrersTag(subject)}`, registry.skopeoFlags)
      ).toString(),
    );
    expect(index.manifests).toHaveLength(2);
    await client.close();
  });

  // Issue 22, item 12: 15 concurrent attaches to one subject left 13 listed in the tag-schema index.
  it("fifteen concurrent attaches to one subject are all listed in the tag-schema index", {
    timeout: 60_000,
  }, async () => {
    const repository = uniqueRepository("push/referrers/concurrent");
    const ref = `${registry.host}/${repository}:1.0.0`;
    const record = onlyRecord(
      await runPush([ref, writeModuleZip(dir.path, "concurrent", "concurrent.zip").file, "--plain-http"]),
    );
    const { attach } = await import("../src/index.js");
    const notes = Array.from({ length: 15 }, (_, i) => {
      const file = join(dir.path, `note-${i}.txt`);
      writeFileSync(file, `note ${i} for ${repository}\n`);
      return file;
    });
    const attached = await Promise.all(
      notes.map((file) =>
        attach({
          subject: ref,
          file,
          artifactType: "application/vnd.example.note",
          clientOptions: { plainHttp: true },
        }),
      ),
    );
    const client = clientFor(registry);
    const listed = await repositoryOf(client, registry, repository).referrers(subjectOf(record));
    await client.close();
    expect(listed.map((r) => r.digest).sort()).toEqual(attached.map((r) => r.digest).sort());
  });

  it("on a registry with the referrers API they are listed there, with no tag-schema tag", async () => {
    const { startReferrersDouble } = await import("./referrers-double.js");
    const double = await startReferrersDouble(registry.host);
    try {
      const repository = uniqueRepository("push/referrers/api");
      const ref = `${double.host}/${repository}:1.0.0`;
      const zip = writeModuleZip(dir.path, "api", "api.zip");
      const record = onlyRecord(await runPush([ref, zip.file, "--plain-http", "--sbom", cyclonedx]));

      const client = new RegistryClient({ plainHttp: true });
      const subject = subjectOf(record);
      const found = await new RemoteRepository(client, double.host, repository).referrers(subject);
      expect(found).toEqual([
        expect.objectContaining({ digest: record.referrers[0].digest, artifactType: "application/vnd.cyclonedx+json" }),
      ]);
      expect(double.referrerRequests).toBeGreaterThan(0);
      // The real registry behind the double got the referrer manifest but no fallback tag.
      const directClient = clientFor(registry);
      const direct = repositoryOf(directClient, registry, repository);
      expect(await tagsOf(direct)).toEqual(["1.0.0"]);
      expect(
        await direct.exists({ mediaType: MediaType.imageManifest, digest: record.referrers[0].digest, size: 0 }),
      ).toBe(true);
      await Promise.all([client.close(), directClient.close()]);
    } finally {
      await double.close();
    }
  });
});
