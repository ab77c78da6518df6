import { describe, expect, it } from "vitest";
import { decodeStdBase64 } from "./base64.js";
import { parseDockerStyleConfig } from "./docker-config.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("parseDockerStyleConfig (spec §5)", () => {
  it("matches property names case-insensitively and merges repeated maps", () => {
    const config = parseDockerStyleConfig(
      `{"AUTHS": {"a.io": {"Auth": "${b64("u:p")}"}}, "auths": {"b.io": {"auth": "${b64("v:q")}"}}, "CredHelpers": {"a.io": "one"}, "credſtore": "x", "CREDSSTORE": "pass"}`,
    );
    expect([...config.auths.keys()]).toEqual(["a.io", "b.io"]);
    expect(config.auths.get("a.io")?.auth).toBe("u:p");
    expect(config.credHelpers.get("a.io")).toBe("one");
    expect(config.credsStore).toBe("pass");
  });

  it("reads only auth and records what it ignores", () => {
    const config = parseDockerStyleConfig(
      `{"auths": {"a.io": {"identitytoken": 5, "username": "u", "password": "p"}}}`,
    );
    expect(config.auths.get("a.io")).toEqual({ auth: undefined, ignored: ["identitytoken", "username", "password"] });
  });

  it("treats null as Go does", () => {
    const config = parseDockerStyleConfig(
      `{"credsStore": "a", "credsStore": null, "auths": {"x": null, "y": {"auth": null}, "z": {"auth": ""}}, "credHelpers": {"h": null}}`,
    );
    expect(config.credsStore).toBe("a");
    expect(config.auths.get("x")).toBeNull();
    expect(config.auths.get("y")?.auth).toBeUndefined();
    expect(config.auths.get("z")?.auth).toBeUndefined();
    expect(config.credHelpers.get("h")).toBe("");
    expect(parseDockerStyleConfig("null").auths.size).toBe(0);
  });

  it("reads a legacy .dockercfg as the modern format: it contributes nothing", () => {
    const config = parseDockerStyleConfig(`{"https://index.docker.io/v1/": {"auth": "${b64("u:p")}", "email": "e"}}`);
    expect(config.auths.size).toBe(0);
    expect(config.otherKeys).toEqual(["https://index.docker.io/v1/"]);
  });

  it.each([
    ['{"credsStore": 1}'],
    ['{"auths": []}'],
    ['{"auths": {"x": "str"}}'],
    ['{"credHelpers": {"x": 1}}'],
    ['{"auths": {"x": {"auth": 5}}}'],
    ['{"auths": {"x": {"auth": "dTpw"}}}'.replace("dTpw", "dTp w")],
    ["[]"],
    [""],
    ["\ufeff{}"],
  ])("fails the whole file for %j", (text) => {
    expect(() => parseDockerStyleConfig(text)).toThrow();
  });

  it("ignores the types of properties it does not read", () => {
    expect(() => parseDockerStyleConfig('{"HttpHeaders": 5, "auths": {"x": {"identitytoken": [1]}}}')).not.toThrow();
  });
});

describe("decodeStdBase64", () => {
  it("is strict standard base64 that ignores CR and LF", () => {
    expect(Buffer.from(decodeStdBase64("dTpw\r\n")).toString()).toBe("u:p");
    expect(Buffer.from(decodeStdBase64("YQ==")).toString()).toBe("a");
    for (const bad of ["YQ", "YQ=", "dT-w", "dT_w", "dT w", "Y===", "=YQ="])
      expect(() => decodeStdBase64(bad), bad).toThrow("illegal base64");
  });
});
