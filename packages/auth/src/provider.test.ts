import { describe, expect, it } from "vitest";
import { virtualAuthIo } from "./io/virtual-io.js";
import { opentofuCredentials } from "./provider.js";

describe("opentofuCredentials", () => {
  it("answers like tofu init, runs a helper once per repository, and resolves undefined for anonymous", async () => {
    const io = virtualAuthIo({ env: { HOME: "/h" }, files: { "/h/.docker/config.json": '{"credsStore": "h", "auths": {"a.io/team": {"auth": "dTpw"}}}' }, helpers: { h: { "https://b.io": { Username: "hu", Secret: "hs" } } } });
    let runs = 0;
    const counting = { ...io, runHelper: (...args: Parameters<typeof io.runHelper>) => (runs++, io.runHelper(...args)) };
    const provider = opentofuCredentials({ env: {}, platform: "linux", cwd: "/", io: counting });
    expect(await provider("a.io", "team/x")).toEqual({ username: "u", password: "p" });
    expect(await provider("b.io", "x")).toEqual({ username: "hu", password: "hs" });
    expect(await provider("b.io", "x")).toEqual({ username: "hu", password: "hs" });
    expect(await provider("c.io", "x")).toBeUndefined();
    // b.io once (then cached), c.io once; a.io needs no helper.
    expect(runs).toBe(2);
  });

  it("uses --registry-config instead of the search, keeping explicit blocks", async () => {
    const io = virtualAuthIo({ env: { HOME: "/h" }, cwd: "/w", files: { "/w/auth.json": '{"auths": {"a.io": {"auth": "dTpw"}}}', "/h/.docker/config.json": '{"auths": {"b.io": {"auth": "dTpw"}}}' } });
    const provider = opentofuCredentials({ env: {}, platform: "linux", cwd: "/w", io, registryConfig: "auth.json" });
    expect(await provider("a.io", "x")).toEqual({ username: "u", password: "p" });
    expect(await provider("b.io", "x")).toBeUndefined();
  });
});
