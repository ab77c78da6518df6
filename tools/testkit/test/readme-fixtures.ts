import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildZip } from "../src/index.js";

// What the README examples expect to find where a reader runs them: the files they name, relative
// to the working directory. Each package's examples run in a folder of their own made by
// `writeExampleFiles`, against registries the test points them at through `exampleEnv`.

/** A provider release zip with a (random) executable inside. */
function providerZip(type: string, version: string): Buffer {
  return buildZip([{ name: `terraform-provider-${type}_v${version}`, content: randomBytes(2048), mode: 0o755 }]);
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Release zips of `acme/thing` 1.2.0 and their SHA256SUMS in `dir` (pack's and the seeding's input). */
export function writeProviderReleases(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const sums = ["linux_amd64", "darwin_arm64"].map((platform) => {
    const name = `terraform-provider-thing_1.2.0_${platform}.zip`;
    const zip = providerZip("thing", "1.2.0");
    writeFileSync(join(dir, name), zip);
    return `${sha256(zip)}  ${name}\n`;
  });
  writeFileSync(join(dir, "terraform-provider-thing_1.2.0_SHA256SUMS"), sums.join(""));
  return dir;
}

/**
 * Writes every file an example names into `dir`: the example module (`network/`,
 * `modules/network/`) and its zip, provider releases, an aws release zip and the lock file
 * that pins it, an SBOM and a provenance document, and `infra/` (a root module that uses the
 * seeded module and provider from `registry`).
 */
export function writeExampleFiles(dir: string, root: string, registry: string, moduleZip: string): void {
  const module = join(root, "examples", "modules", "network");
  cpSync(module, join(dir, "network"), { recursive: true });
  cpSync(module, join(dir, "modules", "network"), { recursive: true });
  cpSync(moduleZip, join(dir, "network.zip"));
  writeProviderReleases(join(dir, "releases"));
  const aws = providerZip("aws", "5.0.0");
  writeFileSync(join(dir, "terraform-provider-aws_5.0.0_linux_amd64.zip"), aws);
  writeFileSync(join(dir, "terraform-provider-aws"), randomBytes(1024), { mode: 0o755 });
  const lock = [
    'provider "registry.opentofu.org/hashicorp/aws" {',
    '  version = "5.0.0"',
    `  hashes = ["zh:${sha256(aws)}"]`,
    "}",
    "",
  ];
  writeFileSync(join(dir, ".terraform.lock.hcl"), lock.join("\n"));
  writeFileSync(
    join(dir, "sbom.spdx.json"),
    JSON.stringify({ spdxVersion: "SPDX-2.3", name: "network", packages: [] }),
  );
  writeFileSync(join(dir, "provenance.json"), JSON.stringify({ builder: "readme-test" }));
  mkdirSync(join(dir, "infra"), { recursive: true });
  writeFileSync(
    join(dir, "infra", "main.tf"),
    [
      "terraform {",
      '  required_providers { thing = { source = "example.com/acme/thing", version = "1.2.0" } }',
      "}",
      `module "net" { source = "oci://${registry}/modules/net?tag=1.0.0" }`,
      "",
    ].join("\n"),
  );
}

/** A CLI configuration whose oci_mirror serves providers from the seeded `providers/NAMESPACE/TYPE`. */
export function writeCliConfig(file: string, registry: string): string {
  const template = `${registry}/providers/\${namespace}/\${type}`;
  writeFileSync(
    file,
    `provider_installation {\n  oci_mirror {\n    repository_template = "${template}"\n    include = ["example.com/*/*"]\n  }\n}\n`,
  );
  return file;
}
