import { memoryContext } from "@tofu-oci/testkit";
import { exitCodeOf } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import { virtualAuthIo } from "./io/virtual-io.js";
import { commandCredentials, opentofuCredentials } from "./provider.js";

describe("opentofuCredentials", () => {
  it("answers like tofu init, runs a helper once per repository, and resolves undefined for anonymous", async () => {
    const io = virtualAuthIo({
      env: { HOME: "/h" },
      files: { "/h/.docker/config.json": '{"credsStore": "h", "auths": {"a.io/team": {"auth": "dTpw"}}}' },
      helpers: { h: { "https://b.io": { Username: "hu", Secret: "hs" } } },
    });
    let runs = 0;
    const counting = {
      ...io,
      runHelper: (...args: Parameters<typeof io.runHelper>) => (runs++, io.runHelper(...args)),
    };
    const provider = opentofuCredentials({ env: {}, platform: "linux", cwd: "/", io: counting });
    expect(await provider("a.io", "team/x")).toEqual({ username: "u", password: "p" });
    expect(await provider("b.io", "x")).toEqual({ username: "hu", password: "hs" });
    expect(await provider("b.io", "x")).toEqual({ username: "hu", password: "hs" });
    expect(await provider("c.io", "x")).toBeUndefined();
    // b.io once (then cached), c.io once; a.io needs no helper.
    expect(runs).toBe(2);
  });

  it("uses --registry-config instead of the search, keeping explicit blocks", async () => {
    const io = virtualAuthIo({
      env: { HOME: "/h" },
      cwd: "/w",
      files: {
        "/w/auth.json": '{"auths": {"a.io": {"auth": "dTpw"}}}',
        "/h/.docker/config.json": '{"auths": {"b.io": {"auth": "dTpw"}}}',
      },
    });
    const provider = opentofuCredentials({ env: {}, platform: "linux", cwd: "/w", io, registryConfig: "auth.json" });
    expect(await provider("a.io", "x")).toEqual({ username: "u", password: "p" });
    expect(await provider("b.io", "x")).toBeUndefined();
  });
  it("reads what core's removed dockerConfigCredentials read, as OpenTofu does: colons stay in the password, identitytoken is ignored", async () => {
    const config = JSON.stringify({
      auths: {
        "a.io": { auth: Buffer.from("alice:pa:ss").toString("base64") },
        "b.io": { identitytoken: "refresh-me" },
      },
    });
    const io = virtualAuthIo({ env: { HOME: "/h" }, cwd: "/w", files: { "/w/config.json": config } });
    const provider = opentofuCredentials({ env: {}, platform: "linux", cwd: "/w", io, registryConfig: "config.json" });
    expect(await provider("a.io", "x")).toEqual({ username: "alice", password: "pa:ss" });
    expect(await provider("b.io", "x")).toBeUndefined();
    expect(await provider("other.example.com", "x")).toBeUndefined();
  });
});

describe("commandCredentials", () => {
  const system = (files: Record<string, string>) => ({
    platform: "linux",
    homedir: () => "/h",
    io: virtualAuthIo({ env: { HOME: "/h" }, cwd: "/w", files }),
  });

  it("refuses a CLI configuration with a syntax error before the provider is asked anything", async () => {
    const make = commandCredentials({
      ...memoryContext().ctx,
      ...system({ "/h/.tofurc": 'oci_credentials "a.io" {\n  username = "u"\n' }),
    });
    const error = await make(undefined).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain("problems with the CLI configuration");
  });

  it("refuses a --registry-config file that is not a docker-style config", async () => {
    const error = await commandCredentials({ ...memoryContext({ cwd: "/w" }).ctx, ...system({ "/w/c.json": "{" }) })(
      "c.json",
    ).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain("/w/c.json");
  });

  it("gives the provider for a sound configuration", async () => {
    const provider = await commandCredentials({
      ...memoryContext().ctx,
      ...system({ "/h/.docker/config.json": '{"auths": {"a.io": {"auth": "dTpw"}}}' }),
    })(undefined);
    expect(await provider("a.io", "x")).toEqual({ username: "u", password: "p" });
  });
});
