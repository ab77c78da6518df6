import { describe, expect, it } from "vitest";
import { virtualAuthIo, type VirtualAuthIoOptions } from "./io/virtual-io.js";
import { formatSpecificity } from "./policy/specificity.js";
import { materialize, resolveSource } from "./resolver.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const HOME = { HOME: "/h" };

async function lookUp(options: VirtualAuthIoOptions, registry = "example.com", repository = "team/x") {
  const io = virtualAuthIo({ env: HOME, ...options });
  const resolution = await resolveSource(io, { registry, repository });
  const { credential, anonymous } = await materialize(io, resolution.selection.selected);
  return {
    selected: resolution.selection.selected,
    specificity: formatSpecificity(resolution.selection.selected?.specificity ?? 0),
    credential,
    anonymous,
    resolution,
  };
}

describe("resolveSource and materialize: rules not covered by cases.json", () => {
  it("discards lookup errors when nothing is selected (spec §13.8)", async () => {
    const result = await lookUp({
      files: { "/h/.docker/config.json": `{"auths": {"example.com": {"auth": "${b64("nocolon")}"}}}` },
    });
    expect(result).toMatchObject({ selected: undefined, anonymous: true });
    expect(result.resolution.selection.errors).toHaveLength(1);
  });

  it("fails when any matching entry is broken and something else is selected", async () => {
    const files = {
      "/h/.docker/config.json": `{"auths": {"example.com": {"auth": "${b64("nocolon")}"}, "example.com/team": {"auth": "${b64("u:p")}"}}}`,
    };
    await expect(lookUp({ files })).rejects.toMatchObject({
      stage: "select",
      message: expect.stringContaining("does not have base64-encoded username:password pair"),
    });
  });

  it("fails for an empty-string explicit block only when another source is selected", async () => {
    const tofurc = 'oci_credentials "example.com" {\n  username = ""\n  password = ""\n}\n';
    expect((await lookUp({ files: { "/h/.tofurc": tofurc } })).anonymous).toBe(true);
    const withAmbient = { "/h/.tofurc": tofurc, "/h/.docker/config.json": '{"credsStore": "pass"}' };
    await expect(lookUp({ files: withAmbient })).rejects.toThrow("has no supported credentials arguments");
  });

  it("does not fall back when the selected helper has nothing (spec §13.9)", async () => {
    const files = {
      "/h/.docker/config.json": `{"auths": {"example.com": {"auth": "${b64("u:p")}"}}, "credHelpers": {"example.com": "empty"}}`,
    };
    expect(await lookUp({ files })).toMatchObject({
      specificity: "domain",
      credential: { username: "u", password: "p" },
    });
    const helperOnly = {
      "/h/.docker/config.json": '{"credHelpers": {"example.com": "empty"}}',
      "/h/.config/containers/auth.json": '{"credsStore": "other"}',
    };
    const result = await lookUp({
      files: helperOnly,
      helpers: { other: { "https://example.com": { Username: "x", Secret: "y" } } },
    });
    expect(result).toMatchObject({ selected: { helper: "empty" }, anonymous: true });
  });

  it("rejects <token> helper replies and reports failing or missing helpers", async () => {
    const files = { "/h/.docker/config.json": '{"credsStore": "h"}' };
    const token = { h: { "https://example.com": { Username: "<token>", Secret: "identity" } } };
    await expect(lookUp({ files, helpers: token })).rejects.toMatchObject({
      stage: "credentials",
      message: expect.stringContaining("returned OAuth-style credentials"),
    });
    const failing = { h: { "https://example.com": { exitCode: 3, stdout: "" } } };
    await expect(lookUp({ files, helpers: failing })).rejects.toThrow('"h" credential helper failed: exit status 3');
    // The selection happened before the helper ran, and stays on the error (docs/contract/opentofu-rules.md §5).
    await expect(lookUp({ files, helpers: failing })).rejects.toMatchObject({
      selected: {
        kind: "helper",
        helper: "h",
        serverURL: "https://example.com",
        specificity: "global",
        entry: "credsStore",
      },
      hint: expect.stringContaining("(global)"),
    });
    await expect(lookUp({ files, missingHelpers: ["h"] })).rejects.toThrow(
      'exec: "docker-credential-h": executable file not found in $PATH',
    );
  });

  it("discards every default file when one is unreadable, but keeps explicit blocks (spec §4.3)", async () => {
    const files = {
      "/h/.docker/config.json": `{"auths": {"example.com": {"auth": "${b64("u:p")}"}}}`,
      "/h/.tofurc": 'oci_credentials "other.io" { docker_credentials_helper = "x" }',
    };
    const unreadable: Record<string, string>[] = [
      { "/h/.dockercfg": "EACCES" },
      { "/h/.config/containers/auth.json": "EISDIR" },
    ];
    for (const fileErrors of unreadable) {
      const result = await lookUp({ files, fileErrors });
      expect(result.resolution.policy.ambient.discarded).toBe(true);
      expect(result.resolution.configLocations).toEqual(['explicit oci_credentials "other.io" block']);
    }
    const empty = await lookUp({ files: { ...files, "/h/.dockercfg": "" } });
    expect(empty.anonymous).toBe(true);
  });

  it("fails the policy when an explicitly listed file is unreadable or malformed", async () => {
    const tofurc = 'oci_default_credentials { docker_style_config_files = ["/c.json"] }';
    await expect(lookUp({ files: { "/h/.tofurc": tofurc, "/c.json": "{" } })).rejects.toMatchObject({
      stage: "policy",
      message: expect.stringContaining("parsing /c.json: invalid JSON syntax"),
    });
    await expect(lookUp({ files: { "/h/.tofurc": tofurc }, fileErrors: { "/c.json": "EACCES" } })).rejects.toThrow(
      "permission denied",
    );
  });

  it("lets an ambient repository entry beat an explicit domain block, and auths beat credHelpers in one file", async () => {
    const files = {
      "/h/.tofurc": 'oci_credentials "example.com" {\n username = "explicit"\n password = "p"\n}',
      "/h/.docker/config.json": `{"auths": {"example.com/team": {"auth": "${b64("ambient:p")}"}}, "credHelpers": {"example.com": "h"}}`,
    };
    expect((await lookUp({ files })).credential).toEqual({ username: "ambient", password: "p" });
    expect((await lookUp({ files }, "example.com", "other")).credential).toMatchObject({ username: "explicit" });
  });
});
