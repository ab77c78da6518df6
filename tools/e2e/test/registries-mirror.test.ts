import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  makeServerCertificate,
  startProviderRegistry,
  tempDir,
  uniqueRepository,
  type CertificateFiles,
  type RunningPersonality,
  type TestProviderRegistry,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeModuleZip } from "./support/fixtures.js";
import { NAMES, PLANS, smallTagPages, writeSbom } from "./support/registry-plans.js";
import { recordsOf, RegistryUser, startFront } from "./support/registry-user.js";

// The registry matrix, mirror side (issue 15): on every registry personality, `mirror providers
// --sbom` from a provider registry; `mirror copy -r` registry to registry (mounting where the
// registry lets it) and back through an OCI layout with identical digests; export and import of
// a bundle; `--all-tags` over several pages of tags, each registry paging its own way at a small
// scale. The push side is registries-push.test.ts.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-registries-mirror-");
let certificates: CertificateFiles;
let providers: TestProviderRegistry;
let sbom: string;

beforeAll(async () => {
  certificates = makeServerCertificate(scratch.path);
  sbom = writeSbom(scratch.path);
  providers = await startProviderRegistry({
    providers: [
      {
        namespace: "acme",
        type: "hello",
        versions: [{ version: "1.0.0", platforms: ["linux_amd64", "darwin_arm64"] }],
      },
    ],
  });
});

afterAll(async () => {
  await providers?.stop();
  scratch.cleanup();
});

describe.each(NAMES)("%s", (name) => {
  const plan = PLANS[name];
  let front: RunningPersonality;
  let user: RegistryUser;
  const dir = join(scratch.path, name);
  /** A module with an SBOM referrer, pushed once and used by the copies. */
  let source: { reference: string; digest: string };

  beforeAll(async () => {
    front = await startFront(name, registries, certificates, {
      ...(plan.variant ? { variant: plan.variant } : {}),
      knobs: { tags: smallTagPages(name) },
    });
    user = new RegistryUser(dir, front, { retries: 6, retryMinDelayMs: 20, retryMaxDelayMs: 2000 });
    if (front.credentials) recordsOf(await user.login(), "login");
    const zip = writeModuleZip(dir, "net.zip", 4096);
    const reference = user.ref(uniqueRepository("matrix/copy-a"), "1.0.0");
    const [pushed] = recordsOf(await user.run(["push", reference, zip, "--sbom", sbom, ...user.flags]), "artifact");
    source = { reference, digest: pushed!.digest as string };
  });
  afterAll(async () => front?.stop());

  it("mirror providers --sbom from a provider registry", async () => {
    const template = `${front.host}/${uniqueRepository("matrix/mirror")}/\${namespace}/\${type}`;
    const args = [
      "mirror",
      "providers",
      `${providers.host}/acme/hello`,
      "--platform",
      "all",
      "--sbom",
      "--to",
      template,
      "--source-plain-http",
    ];
    const [record] = recordsOf(await user.run([...args, ...user.flags]), "artifact");
    expect(record).toMatchObject({ version: "1.0.0" });
    expect(record!.sboms).toHaveLength(2);
    const [verified] = recordsOf(
      await user.run([
        "verify",
        `${template.replace("${namespace}/${type}", "acme/hello")}:1.0.0`,
        "--require-sbom",
        "--platform",
        "linux_amd64",
        ...user.flags,
      ]),
      "verification",
    );
    expect(verified).toMatchObject({ ok: true });
  });

  it("mirror copy -r registry to registry, then back through an OCI layout, with identical digests", async () => {
    const copied = user.ref(uniqueRepository("matrix/copy-b"), "1.0.0");
    const [toRegistry] = recordsOf(
      await user.run(["mirror", "copy", source.reference, copied, "-r", ...user.flags]),
      "artifact",
    );
    expect(toRegistry).toMatchObject({ digest: source.digest });
    const layout = `${join(dir, "layout")}:1.0.0`;
    const [toLayout] = recordsOf(
      await user.run(["mirror", "copy", copied, layout, "-r", "--to-oci-layout", ...user.flags]),
      "artifact",
    );
    expect(toLayout).toMatchObject({ digest: source.digest });
    const back = user.ref(uniqueRepository("matrix/copy-c"), "1.0.0");
    const [fromLayout] = recordsOf(
      await user.run(["mirror", "copy", layout, back, "-r", "--from-oci-layout", ...user.flags]),
      "artifact",
    );
    expect(fromLayout).toMatchObject({ digest: source.digest });
    const [verified] = recordsOf(await user.run(["verify", back, "--require-sbom", ...user.flags]), "verification");
    expect(verified).toMatchObject({ ok: true, digest: source.digest });
  });

  it("export and import a bundle", async () => {
    const bundle = join(dir, "bundle.tar");
    recordsOf(await user.run(["mirror", "export", source.reference, "-o", bundle, ...user.flags]));
    const target = user.ref(uniqueRepository("matrix/imported"));
    const [imported] = recordsOf(
      await user.run(["mirror", "import", bundle, "--to", target, ...user.flags]),
      "artifact",
    );
    expect(imported).toMatchObject({ digest: source.digest, tag: "1.0.0" });
  });

  it("mirror copy --all-tags over several pages of tags", async () => {
    const repository = uniqueRepository("matrix/tags");
    const tags = ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "3.0.0"];
    const zip = writeModuleZip(dir, "tagged.zip", 1024);
    recordsOf(
      await user.run([
        "push",
        user.ref(repository, tags[0]),
        zip,
        ...tags.slice(1).flatMap((tag) => ["-t", tag]),
        ...user.flags,
      ]),
    );
    const layout = join(dir, "all-tags");
    const records = recordsOf(
      await user.run(["mirror", "copy", user.ref(repository), layout, "--all-tags", "--to-oci-layout", ...user.flags]),
      "artifact",
    );
    expect(records.map((record) => record.tag).sort()).toEqual(tags);
    const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as {
      manifests: Array<{ annotations?: Record<string, string> }>;
    };
    expect(index.manifests.map((entry) => entry.annotations?.["org.opencontainers.image.ref.name"]).sort()).toEqual(
      tags,
    );
    // More than one page was asked for.
    expect(
      front.requests.filter((request) => request.path.startsWith(`/v2/${repository}/tags/list`)).length,
    ).toBeGreaterThan(2);
  });
});
