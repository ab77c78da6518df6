import { describe, expect, it } from "vitest";
import { virtualAuthIo, type VirtualAuthIoOptions } from "./io/virtual-io.js";
import { materialize, resolveSource } from "./resolver.js";
import { surprisingRules } from "./warnings.js";

async function warningsFor(options: VirtualAuthIoOptions, registry = "example.com", repository = "x") {
  const io = virtualAuthIo({
    env: { HOME: "/h", ...options.env },
    ...options,
    ...(options.env ? { env: { HOME: "/h", ...options.env } } : {}),
  });
  const resolution = await resolveSource(io, { registry, repository });
  return surprisingRules(resolution, io.env, await materialize(io, resolution.selection.selected)).join("\n");
}

describe("surprisingRules (spec §13)", () => {
  it("explains that one bad ambient file disables all of them", async () => {
    const files = { "/h/.docker/config.json": '{"auths": {}}', "/h/.dockercfg": "" };
    expect(await warningsFor({ files })).toMatch(
      /one malformed or unreadable file disables them all.*This also ignores \/h\/.docker\/config.json/,
    );
  });

  it("names ignored identity tokens, Docker Hub keys and legacy .dockercfg files", async () => {
    const files = {
      "/h/.docker/config.json":
        '{"auths": {"https://index.docker.io/v1/": {"auth": "dTpw"}, "docker.io": {"identitytoken": "t"}}}',
      "/h/.dockercfg": '{"https://index.docker.io/v1/": {"auth": "dTpw"}}',
    };
    const warnings = await warningsFor({ files }, "docker.io", "library/x");
    expect(warnings).toContain("has identitytoken, which OpenTofu ignores");
    expect(warnings).toContain("never matches");
    expect(warnings).toContain("legacy .dockercfg layout");
    expect(warnings).toContain("registry-1.docker.io");
  });

  it("notes ignored environment variables, OAuth tokens and helpers without fallback", async () => {
    const tofurc = 'oci_credentials "example.com" {\n access_token = "a"\n refresh_token = "r"\n}';
    const warnings = await warningsFor({
      files: { "/h/.tofurc": tofurc },
      env: { DOCKER_CONFIG: "/d", REGISTRY_AUTH_FILE: "/r" },
    });
    expect(warnings).toContain("DOCKER_CONFIG is set, but OpenTofu does not read it");
    expect(warnings).toContain("REGISTRY_AUTH_FILE is set");
    expect(warnings).toContain("refresh_token is never used");
    const helper = await warningsFor({
      files: { "/h/.docker/config.json": '{"credHelpers": {"example.com": "h"}, "credsStore": "s"}' },
    });
    expect(helper).toContain(
      'The helper "h" has no credentials for https://example.com, so OpenTofu goes anonymous; it does not try /h/.docker/config.json (credsStore)',
    );
  });

  it("says auths beats credHelpers in one file", async () => {
    const files = {
      "/h/.docker/config.json": '{"auths": {"example.com": {"auth": "dTpw"}}, "credHelpers": {"example.com": "h"}}',
    };
    expect(await warningsFor({ files })).toContain("OpenTofu uses the auths entry, Docker would use the helper");
  });
});
