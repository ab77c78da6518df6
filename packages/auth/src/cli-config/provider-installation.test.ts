import { describe, expect, it } from "vitest";
import { virtualAuthIo } from "../io/virtual-io.js";
import { providerInstallation } from "../provider-installation.js";
import { resolveSource } from "../resolver.js";

// OpenTofu's fixtures and expected messages: internal/command/cliconfig/testdata/provider-installation-oci(.json),
// provider-installation, provider-installation-errors and provider_installation_test.go:95.
const OCI = `provider_installation {
  oci_mirror {
    repository_template = "example.com/\${hostname}/\${namespace}/\${type}"
  }
  oci_mirror {
    repository_template = "example.net/opentofu-registry/\${namespace}/\${type}"
    include = ["registry.opentofu.org/*/*"]
  }
}
`;
const OCI_JSON = JSON.stringify({
  provider_installation: {
    oci_mirror: [
      { repository_template: "example.com/${hostname}/${namespace}/${type}" },
      {
        repository_template: "example.net/opentofu-registry/${namespace}/${type}",
        include: ["registry.opentofu.org/*/*"],
      },
    ],
  },
});
const MIXED = `provider_installation {
  dev_overrides {
    "hashicorp/boop" = "/tmp/bloop/../boop"
  }
  filesystem_mirror {
    path    = "/tmp/example1"
    include = ["example.com/*/*"]
  }
  network_mirror {
    url     = "https://tf-Mirror.example.com/"
    include = ["registry.opentofu.org/*/*"]
    exclude = ["registry.OpenTofu.org/foobar/*"]
    download_retry_count = 2
    trust_all_hashes = true
  }
  direct {
    exclude = ["example.com/*/*"]
    download_retry_count = 3
  }
}
`;
const ERRORS = `provider_installation {
  not_a_thing {} # unknown source type
  filesystem_mirror {} # missing "path" argument
  network_mirror {} # missing "host" argument
  direct = {} # should be a block, not an argument
  direct "what" {} # should not have a label
}

provider_installation "what" {} # should not have a label

provider_installation = {} # should be a block, not an argument
`;

function read(text: string, name = "/h/.tofurc") {
  const io = virtualAuthIo({ env: { HOME: "/h", TF_CLI_CONFIG_FILE: name }, files: { [name]: text } });
  return providerInstallation({ env: io.env, cwd: "/", io });
}

describe("provider_installation in the CLI configuration", () => {
  it.each([
    ["native syntax", OCI, "/h/.tofurc"],
    ["JSON syntax", OCI_JSON, "/h/cli.tfrc.json"],
  ])("reads oci_mirror blocks in %s", async (_, text, name) => {
    const config = await read(text, name);
    expect(config.errors).toEqual([]);
    expect(config.methods).toEqual([
      {
        kind: "oci_mirror",
        repositoryTemplate: "example.com/${hostname}/${namespace}/${type}",
        include: [],
        exclude: [],
      },
      {
        kind: "oci_mirror",
        repositoryTemplate: "example.net/opentofu-registry/${namespace}/${type}",
        include: ["registry.opentofu.org/*/*"],
        exclude: [],
      },
    ]);
    expect(config.file).toBe(name);
  });

  it("keeps the other methods in order and leaves dev_overrides out", async () => {
    const config = await read(MIXED);
    expect(config.errors).toEqual([]);
    expect(config.methods!.map((m) => m.kind)).toEqual(["filesystem_mirror", "network_mirror", "direct"]);
    expect(config.methods![1]).toMatchObject({
      url: "https://tf-Mirror.example.com/",
      exclude: ["registry.OpenTofu.org/foobar/*"],
    });
  });

  it("reports what OpenTofu reports, and keeps the blocks it keeps", async () => {
    const config = await read(ERRORS);
    expect(config.errors.map((e) => e.replace(/^\/h\/\.tofurc: /, ""))).toEqual([
      'Invalid provider_installation method block: Unknown provider installation method "not_a_thing" at 2:3.',
      'Invalid provider_installation method block: Invalid filesystem_mirror block at 1:1: "path" argument is required.',
      'Invalid provider_installation method block: Invalid network_mirror block at 1:1: "url" argument is required.',
      "Invalid provider_installation method block: The items inside the provider_installation block at 1:1 must all be blocks.",
      "Invalid provider_installation method block: The blocks inside the provider_installation block at 1:1 may not have any labels.",
      "Invalid provider_installation block: The provider_installation block at 9:1 must not have any labels.",
      "Invalid provider_installation block: The provider_installation block at 11:1 must not be introduced with an equals sign.",
      "No more than one provider_installation block may be specified",
    ]);
    expect(config.methods).toEqual([{ kind: "direct", include: [], exclude: [] }]);
  });

  it("has no methods without a block, and does not stop a credentials lookup for a broken one", async () => {
    expect((await read("")).methods).toBeUndefined();
    const text =
      'provider_installation {\n  oci_mirror {}\n}\noci_credentials "r.example" {\n  username = "u"\n  password = "p"\n}\n';
    expect((await read(text)).errors).toEqual([expect.stringContaining('"repository_template" argument is required')]);
    const io = virtualAuthIo({ env: { HOME: "/h", TF_CLI_CONFIG_FILE: "/h/.tofurc" }, files: { "/h/.tofurc": text } });
    const resolution = await resolveSource(io, { registry: "r.example", repository: "x" });
    expect(resolution.selection.selected).toMatchObject({ kind: "static-basic", username: "u" });
  });
});
