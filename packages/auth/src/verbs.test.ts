import { exitCodeOf } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import type { AuthEffects } from "./effects.js";
import { virtualAuthIo, type VirtualAuthIoOptions } from "./io/virtual-io.js";
import { login } from "./login.js";
import { logout } from "./logout.js";
import { resolve } from "./resolve.js";
import { virtualConfigFileStore } from "./store/config-file-store.js";

// The library verbs run in-process on (options, effects), with no command line involved.

/** Effects on a virtual machine whose user's home is /h; `io.files` shows what was written. */
function machine(options: VirtualAuthIoOptions = {}) {
  const io = virtualAuthIo({ env: { HOME: "/h" }, cwd: "/w", ...options });
  const effects: AuthEffects = { env: io.env, cwd: io.cwd, io, files: virtualConfigFileStore(io) };
  return { io, effects };
}

const DOCKER_CONFIG = "/h/.docker/config.json";

describe("resolve(options, effects)", () => {
  it("answers from the effects' files, keeping the secret unless reveal", async () => {
    const { effects } = machine({ files: { [DOCKER_CONFIG]: '{"auths": {"a.io/team": {"auth": "dTpw"}}}' } });
    const record = await resolve({ reference: "oci://a.io/team/vpc?tag=1.0.0" }, effects);
    expect(record).toMatchObject({
      kind: "credentials",
      registry: "a.io",
      repository: "team/vpc",
      source: DOCKER_CONFIG,
      username: "u",
      anonymous: false,
    });
    expect(record.password).toBeUndefined();
    expect((await resolve({ reference: "a.io/team/vpc", reveal: true }, effects)).password).toBe("p");
  });

  it("reads only registryConfig, relative to the effects' cwd, when given", async () => {
    const { effects } = machine({
      files: { [DOCKER_CONFIG]: '{"auths": {"a.io": {"auth": "dTpw"}}}', "/w/ci.json": "{}" },
    });
    expect(await resolve({ reference: "a.io/x", registryConfig: "ci.json" }, effects)).toMatchObject({
      source: null,
      anonymous: true,
    });
  });
});

describe("logout(options, effects)", () => {
  it("removes the host's auths entry from the effects' files, keeping the rest", async () => {
    const { io, effects } = machine({
      files: { [DOCKER_CONFIG]: '{"auths": {"a.io": {"auth": "dTpw"}, "b.io": {"auth": "dTpw"}}}' },
    });
    expect(await logout({ host: "a.io" }, effects)).toEqual({
      kind: "logout",
      registry: "a.io",
      removed: true,
      file: DOCKER_CONFIG,
      warnings: [],
    });
    expect(JSON.parse(String(io.files.get(DOCKER_CONFIG)))).toEqual({ auths: { "b.io": { auth: "dTpw" } } });
    expect((await logout({ host: "a.io" }, effects)).removed).toBe(false);
  });
});

describe("login(options, effects)", () => {
  it.each([
    [{ username: "", password: "p" }, "login needs a username"],
    [{ username: "u", password: "" }, "the password is empty"],
  ])("refuses %j before any request or write", async (credentials, message) => {
    const { io, effects } = machine();
    const error = await login({ host: "a.io", ...credentials }, effects).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).toBe(message);
    expect([...io.files.keys()]).toEqual([]);
  });
});
