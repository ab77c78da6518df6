import { describe, expect, it } from "vitest";
import { virtualAuthIo, type VirtualAuthIoOptions } from "../io/virtual-io.js";
import { virtualConfigFileStore } from "./config-file-store.js";
import { editableDocument, removeAuth, serializeDocument, setAuth } from "./docker-config-edit.js";
import { loginPlan, logoutPlan } from "./store-plan.js";

function plan(options: VirtualAuthIoOptions, kind: "login" | "logout" = "login", registryConfig?: string) {
  const io = virtualAuthIo({ env: { HOME: "/h" }, ...options });
  return (kind === "login" ? loginPlan : logoutPlan)(io, virtualConfigFileStore(io), "r.io", registryConfig);
}

describe("where login stores and logout erases", () => {
  it("uses the first file OpenTofu reads when nothing is configured", async () => {
    expect(await plan({})).toEqual({ store: "file", file: "/h/.config/containers/auth.json" });
    expect(await plan({ env: { HOME: "/h", XDG_RUNTIME_DIR: "/run/u" } })).toEqual({
      store: "file",
      file: "/run/u/containers/auth.json",
    });
    expect(await plan({}, "logout")).toEqual({ store: "none" });
  });

  it("goes through the helper OpenTofu would run for the host", async () => {
    const files = { "/h/.docker/config.json": '{"credsStore": "pass"}' };
    expect(await plan({ files })).toEqual({
      store: "helper",
      helper: "pass",
      serverURL: "https://r.io",
      file: "/h/.docker/config.json",
    });
    const tofurc = { "/h/.tofurc": 'oci_default_credentials { docker_credentials_helper = "secretservice" }' };
    expect(await plan({ files: tofurc })).toEqual({
      store: "helper",
      helper: "secretservice",
      serverURL: "https://r.io",
    });
  });

  it("updates the file whose auths entry OpenTofu uses now", async () => {
    const files = { "/h/.docker/config.json": '{"auths": {"r.io": {"auth": "dTpw"}}}' };
    expect(await plan({ files })).toEqual({ store: "file", file: "/h/.docker/config.json" });
  });

  it("refuses when OpenTofu would not read what login writes", async () => {
    await expect(
      plan({ files: { "/h/.tofurc": 'oci_credentials "r.io" {\n username = "u"\n password = "p"\n}' } }),
    ).rejects.toMatchObject({ code: "usage" });
    await expect(
      plan({ files: { "/h/.tofurc": "oci_default_credentials { discover_ambient_credentials = false }" } }),
    ).rejects.toThrow("discover_ambient_credentials = false");
    await expect(plan({ files: { "/h/.dockercfg": "" } })).rejects.toMatchObject({ code: "invalid-input" });
  });

  it("with --registry-config, uses that file and its own helper", async () => {
    expect(await plan({}, "login", "/c.json")).toEqual({ store: "file", file: "/c.json" });
    expect(await plan({ files: { "/c.json": '{"credHelpers": {"r.io": "pass"}}' } }, "login", "/c.json")).toMatchObject(
      { store: "helper", helper: "pass" },
    );
  });
});

describe("editing a docker-style file", () => {
  it("sets and removes auths entries, keeping every other key", () => {
    const document = editableDocument(
      '{"credsStore": "", "HttpHeaders": {"X": "1"}, "Auths": {"a.io": {"auth": "dTpw"}, "r.io": {"auth": "b2xkOm9sZA=="}}}',
      "/c.json",
    );
    setAuth(document, "r.io", "user", "pa:ss");
    expect(document).toEqual({
      credsStore: "",
      HttpHeaders: { X: "1" },
      Auths: { "a.io": { auth: "dTpw" }, "r.io": { auth: Buffer.from("user:pa:ss").toString("base64") } },
    });
    expect(removeAuth(document, "r.io")).toBe(true);
    expect(removeAuth(document, "r.io")).toBe(false);
    expect(serializeDocument(document)).toBe(
      '{\n\t"credsStore": "",\n\t"HttpHeaders": {\n\t\t"X": "1"\n\t},\n\t"Auths": {\n\t\t"a.io": {\n\t\t\t"auth": "dTpw"\n\t\t}\n\t}\n}\n',
    );
  });

  it("keeps both halves of a repeated auths map, as OpenTofu merges them", () => {
    expect(editableDocument('{"auths": {"a.io": {}}, "auths": {"b.io": {}}}', "/c.json")).toEqual({
      auths: { "a.io": {}, "b.io": {} },
    });
  });

  it("refuses to edit a file OpenTofu cannot read", () => {
    expect(() => editableDocument('{"auths": []}', "/c.json")).toThrow(
      "/c.json is not a valid docker-style config file",
    );
    expect(() => editableDocument("", "/c.json")).toThrow("the file is empty");
  });
});
