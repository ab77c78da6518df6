import { describe, expect, it } from "vitest";
import { virtualAuthIo } from "../io/virtual-io.js";
import { loadCliConfig } from "./load-cli-config.js";
import { locateCliConfig } from "./locate.js";

const errors = (config: Awaited<ReturnType<typeof loadCliConfig>>) =>
  config.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);

describe("locateCliConfig (spec §2.1, §2.2)", () => {
  it("prefers TF_CLI_CONFIG_FILE, then TERRAFORM_CONFIG, and then reads no config directory", async () => {
    expect(
      await locateCliConfig(
        virtualAuthIo({ env: { HOME: "/h", TF_CLI_CONFIG_FILE: "/a.tfrc", TERRAFORM_CONFIG: "/b" } }),
      ),
    ).toEqual({ mainFile: "/a.tfrc", overridden: true });
    expect(await locateCliConfig(virtualAuthIo({ env: { HOME: "/h", TERRAFORM_CONFIG: "/b" } }))).toEqual({
      mainFile: "/b",
      overridden: true,
    });
  });

  it("uses ~/.terraformrc only when ~/.tofurc is missing, and XDG only when both are", async () => {
    const legacy = virtualAuthIo({ env: { HOME: "/h", XDG_CONFIG_HOME: "/x" }, files: { "/h/.terraformrc": "" } });
    expect((await locateCliConfig(legacy)).mainFile).toBe("/h/.terraformrc");
    const xdg = virtualAuthIo({ env: { HOME: "/h", XDG_CONFIG_HOME: "/x" } });
    expect(await locateCliConfig(xdg)).toEqual({
      mainFile: "/x/opentofu/tofurc",
      overridden: false,
      configDir: "/x/opentofu",
    });
    expect((await locateCliConfig(virtualAuthIo({ env: { HOME: "/h" } }))).mainFile).toBe("/h/.tofurc");
  });

  it("uses %APPDATA% on Windows", async () => {
    const io = virtualAuthIo({
      os: "windows",
      env: { APPDATA: "C:/Users/u/AppData/Roaming" },
      files: { "C:/Users/u/AppData/Roaming/terraform.rc": "" },
    });
    expect(await locateCliConfig(io)).toEqual({
      mainFile: "C:/Users/u/AppData/Roaming/terraform.rc",
      overridden: false,
      configDir: "C:/Users/u/AppData/Roaming/terraform.d",
    });
  });
});

describe("loadCliConfig (spec §2, §3)", () => {
  it("warns about a missing override file and ignores a missing default file", async () => {
    const missing = await loadCliConfig(virtualAuthIo({ env: { HOME: "/h", TF_CLI_CONFIG_FILE: "/nope.tfrc" } }));
    expect(missing.diagnostics).toEqual([
      { severity: "warning", message: expect.stringContaining("Unable to open CLI configuration file") },
    ]);
    expect((await loadCliConfig(virtualAuthIo({ env: { HOME: "/h" } }))).diagnostics).toEqual([]);
  });

  it("loads the config directory's *.tfrc and *.tfrc.json in byte order after the main file", async () => {
    const files = {
      "/h/.tofurc": "",
      "/h/.terraform.d/b.tfrc.json": '{"oci_credentials": {"b.io": {"username": "u", "password": "p"}}}',
      "/h/.terraform.d/a.tfrc": 'oci_credentials "a.io" { docker_credentials_helper = "x" }',
      "/h/.terraform.d/c.txt": "junk",
    };
    const config = await loadCliConfig(virtualAuthIo({ env: { HOME: "/h" }, files }));
    expect(config.files).toEqual(["/h/.tofurc", "/h/.terraform.d/a.tfrc", "/h/.terraform.d/b.tfrc.json"]);
    expect(config.credentials.map((block) => block.prefix)).toEqual(["a.io", "b.io"]);
  });

  it("decodes with HCL 1 leniency: empty strings pass, unknown arguments are ignored, block names are case-sensitive", async () => {
    const text =
      'oci_credentials "a.io" {\n  USERNAME = ""\n  password = ""\n  typo = 1\n}\nOCI_CREDENTIALS "b.io" { username = "u" }';
    const config = await loadCliConfig(virtualAuthIo({ env: { HOME: "/h" }, files: { "/h/.tofurc": text } }));
    expect(errors(config)).toEqual([]);
    expect(config.credentials).toEqual([expect.objectContaining({ prefix: "a.io", username: "", password: "" })]);
  });

  it.each([
    [
      'oci_credentials "https://example.com" { username = "u"\npassword = "p" }',
      'invalid reference: invalid repository "/example.com"',
    ],
    [
      'oci_credentials "example.com/foo:latest" { username = "u"\npassword = "p" }',
      "artifact tag or digest not allowed",
    ],
    ['oci_credentials "example.com:abc" { username = "u"\npassword = "p" }', 'invalid registry "example.com:abc"'],
    ['oci_credentials "" { username = "u"\npassword = "p" }', 'invalid registry ""'],
    ['oci_credentials "a.io" { username = true\npassword = "p" }', "unknown type for string"],
    ['oci_credentials { username = "u"\npassword = "p" }', "must have one label"],
    ['oci_default_credentials "x" { }', "must not have any labels"],
    ["oci_default_credentials = { }", "must not be introduced with an equals sign"],
    ['oci_default_credentials { docker_credentials_helper = "" }', "invalid Docker credential helper name"],
    ['{"oci_credentials": "x"}', "must have one label"],
  ])("reports %j", async (text, message) => {
    const config = await loadCliConfig(virtualAuthIo({ env: { HOME: "/h" }, files: { "/h/.tofurc": text } }));
    expect(errors(config).join("\n")).toContain(message);
  });

  it("accepts an extra JSON nesting level in oci_default_credentials", async () => {
    const text = '{"oci_default_credentials": {"anything": {"docker_credentials_helper": "pass"}}}';
    const config = await loadCliConfig(virtualAuthIo({ env: { HOME: "/h" }, files: { "/h/.tofurc": text } }));
    expect(config.defaults).toEqual([expect.objectContaining({ helper: "pass" })]);
  });

  it("resolves relative docker_style_config_files against the config file's directory, without ~ expansion", async () => {
    const text =
      'oci_default_credentials { docker_style_config_files = ["./a.json", "~/.docker/config.json", "/abs.json"] }';
    const config = await loadCliConfig(
      virtualAuthIo({ env: { HOME: "/h" }, files: { "/h/.terraform.d/x.tfrc": text } }),
    );
    expect(config.defaults[0]?.dockerStyleConfigFiles).toEqual([
      "/h/.terraform.d/a.json",
      "/h/.terraform.d/~/.docker/config.json",
      "/abs.json",
    ]);
  });

  it("rejects a backslash in a helper name only on Windows", async () => {
    const text = 'oci_default_credentials { docker_credentials_helper = "a\\\\b" }';
    expect(errors(await loadCliConfig(virtualAuthIo({ env: { HOME: "/h" }, files: { "/h/.tofurc": text } })))).toEqual(
      [],
    );
    const windows = virtualAuthIo({ os: "windows", env: { APPDATA: "/ad" }, files: { "/ad/tofu.rc": text } });
    expect(errors(await loadCliConfig(windows)).join()).toContain("invalid Docker credential helper name");
  });
});
