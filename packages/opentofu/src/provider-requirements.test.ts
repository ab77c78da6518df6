import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { moduleFiles } from "./config-files.js";
import { readProviderRequirements } from "./provider-requirements.js";

const scratch = tempDir("tofu-oci-requirements-");
afterAll(() => scratch.cleanup());
let count = 0;

function configuration(files: Record<string, string>): string {
  const dir = join(scratch.path, `config-${++count}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function requirements(files: Record<string, string>): Promise<Record<string, string[]>> {
  const read = await readProviderRequirements(configuration(files));
  return Object.fromEntries([...read.providers.values()].map((p) => [p.address, p.constraints]));
}

describe("moduleFiles (which files tofu reads)", () => {
  it("reads .tf, .tofu and their JSON forms, lets a .tofu file replace the .tf of the same name, skips tests and hidden files", async () => {
    const dir = configuration({
      "main.tf": "",
      "main.tofu": "",
      "vars.tf.json": "{}",
      "b_override.tf": "",
      "x.tftest.hcl": "",
      ".hidden.tf": "",
      "notes.md": "",
      "sub/inner.tf": "",
    });
    const files = await moduleFiles(dir);
    expect(files.primary.map((f) => f.slice(dir.length + 1))).toEqual(["main.tofu", "vars.tf.json"]);
    expect(files.override.map((f) => f.slice(dir.length + 1))).toEqual(["b_override.tf"]);
  });
});

describe("readProviderRequirements", () => {
  it("collects required_providers, provider blocks and implied providers from every module", async () => {
    const found = await requirements({
      "main.tf": `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
    thing = { source = "registry.example.com/acme/thing" }
  }
}
provider "aws" {
  version = ">= 5.1"
}
resource "random_id" "x" {}
resource "aws_instance" "web" {
  provider = thing.west
}
data "terraform_remote_state" "s" {}
module "net" {
  source = "./modules/net"
}
module "remote" {
  source = "oci://registry.example.com/modules/remote?tag=1.0.0"
}
`,
      "modules/net/main.tf": `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.1, < 6.0" }
    legacy = "~> 1.0"
  }
}
`,
      "modules/net/extra.tf.json": JSON.stringify({ resource: { google_bucket: { b: {} } } }),
    });
    expect(found).toEqual({
      "registry.opentofu.org/hashicorp/aws": ["~> 5.0", ">= 5.1", ">= 5.1, < 6.0"],
      "registry.example.com/acme/thing": [],
      "registry.opentofu.org/hashicorp/random": [],
      "registry.opentofu.org/hashicorp/legacy": ["~> 1.0"],
      "registry.opentofu.org/hashicorp/google": [],
    });
  });

  it("follows installed remote modules through .terraform/modules/modules.json, and lists the others", async () => {
    const dir = configuration({
      "main.tf":
        'module "a" {\n  source = "oci://r.example/a?tag=1"\n}\nmodule "b" {\n  source = "oci://r.example/b?tag=1"\n}\n',
      ".terraform/modules/modules.json": JSON.stringify({
        Modules: [
          { Key: "", Source: "", Dir: "." },
          { Key: "a", Source: "oci://r.example/a?tag=1", Dir: ".terraform/modules/a" },
        ],
      }),
      ".terraform/modules/a/main.tf": 'resource "null_resource" "x" {}\n',
    });
    const read = await readProviderRequirements(dir);
    expect([...read.providers.keys()]).toEqual(["registry.opentofu.org/hashicorp/null"]);
    expect(read.modules.map((m) => m.key)).toEqual(["", "a"]);
    expect(read.unresolved).toEqual([{ key: "b", source: "oci://r.example/b?tag=1" }]);
  });

  it("lets an override file replace a required_providers entry", async () => {
    expect(
      await requirements({
        "main.tf":
          'terraform {\n  required_providers {\n    a = { source = "x.example/n/a", version = "1.0.0" }\n  }\n}\n',
        "override.tf":
          'terraform {\n  required_providers {\n    a = { source = "x.example/n/a", version = "2.0.0" }\n  }\n}\n',
      }),
    ).toEqual({ "x.example/n/a": ["2.0.0"] });
  });

  it("is exit 6 for bad HCL, a bad source, or a missing directory", async () => {
    await expect(readProviderRequirements(configuration({ "main.tf": "terraform {" }))).rejects.toSatisfy(
      (e) => exitCodeOf(e) === 6,
    );
    await expect(
      requirements({ "main.tf": 'terraform {\n  required_providers {\n    a = { source = "a/b/c/d" }\n  }\n}\n' }),
    ).rejects.toSatisfy((e) => exitCodeOf(e) === 6);
    await expect(readProviderRequirements(join(scratch.path, "missing"))).rejects.toSatisfy((e) => exitCodeOf(e) === 6);
  });
});
