import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseRecords, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { authBin, providerFor, pushModule, setUpPass, tearDownPass, userEnv } from "./support.js";

const registries = inject("registries");

/** Acceptance 2: a temp HOME with real files and a real docker-credential-pass. */
describe("real files and a real docker-credential-pass helper", () => {
  const dir = tempDir("tofu-oci-auth-pass-");
  const home = join(dir.path, "home");
  let env: Record<string, string>;
  let passEnv: Record<string, string>;

  const writeHome = (path: string, text: string) => {
    mkdirSync(join(home, path, ".."), { recursive: true });
    writeFileSync(join(home, path), text);
  };
  const storeInPass = (serverURL: string, username: string, secret: string) =>
    execFileSync("docker-credential-pass", ["store"], {
      env: { ...process.env, ...env },
      input: JSON.stringify({ ServerURL: serverURL, Username: username, Secret: secret }),
    });
  const resolve = async (reference: string) => {
    const result = await authBin(["resolve", reference], env);
    expect(result.stderr).not.toContain("error:");
    return parseRecords(result.stdout)[0]!;
  };

  beforeAll(() => {
    passEnv = setUpPass(dir.path);
    env = userEnv(home, passEnv);
  });
  afterAll(() => {
    tearDownPass(passEnv);
    dir.cleanup();
  });

  it("resolves a credsStore, credHelpers, auths entries and an explicit helper block as the spec says", async () => {
    writeHome(
      ".docker/config.json",
      JSON.stringify({
        credsStore: "pass",
        credHelpers: { "helper.example": "pass" },
        auths: { "files.example/team": { auth: Buffer.from("file-user:file-pw").toString("base64") } },
      }),
    );
    writeHome(
      ".terraform.d/oci.tfrc",
      'oci_credentials "explicit.example" {\n  docker_credentials_helper = "pass"\n}\n',
    );
    storeInPass("https://global.example", "global-user", "global-pw");
    storeInPass("https://helper.example", "domain-user", "domain-pw");
    storeInPass("https://explicit.example", "explicit-user", "explicit-pw");

    expect(await resolve("global.example/a/b")).toMatchObject({
      source: join(home, ".docker/config.json"),
      entry: "credsStore",
      specificity: "global",
      helper: "pass",
      username: "global-user",
      anonymous: false,
    });
    expect(await resolve("oci://helper.example/x")).toMatchObject({
      entry: 'credHelpers "helper.example"',
      specificity: "domain",
      username: "domain-user",
    });
    expect(await resolve("explicit.example/x")).toMatchObject({
      source: 'explicit oci_credentials "explicit.example" block',
      username: "explicit-user",
    });
    expect(await resolve("files.example/team/x")).toMatchObject({
      entry: 'auths "files.example/team"',
      specificity: "repository:1",
      username: "file-user",
    });
    // The selected helper knows nothing: anonymous, with no fallback to anything else.
    expect(await resolve("files.example/other")).toMatchObject({ helper: "pass", anonymous: true });
    expect((await resolve("oci://global.example/a?tag=1")).password).toBeUndefined();
  });

  it("logs in through pass, pushes with those credentials, and logs out", async () => {
    const registry = registries.basic;
    writeHome(".docker/config.json", JSON.stringify({ credsStore: "pass", auths: { [registry.host]: {} } }));
    const before = readFileSync(join(home, ".docker/config.json"), "utf8");
    const login = await authBin(
      ["login", registry.host, "-u", registry.username!, "--password-stdin", "--plain-http"],
      env,
      registry.password,
    );
    expect(login.code, login.stderr).toBe(0);
    expect(parseRecords(login.stdout)[0]).toMatchObject({
      kind: "login",
      store: "helper",
      helper: "pass",
      serverURL: `https://${registry.host}`,
      verified: true,
    });
    expect(readFileSync(join(home, ".docker/config.json"), "utf8")).toBe(before);
    expect(await resolve(`${registry.host}/any`)).toMatchObject({ helper: "pass", username: registry.username });

    const digest = await pushModule(registry, uniqueRepository("auth/pass"), providerFor(env));
    expect(digest).toMatch(/^sha256:/);

    const logout = await authBin(["logout", registry.host], env);
    expect(parseRecords(logout.stdout)[0]).toMatchObject({ kind: "logout", removed: true, helper: "pass" });
    expect(await resolve(`${registry.host}/any`)).toMatchObject({ helper: "pass", anonymous: true });
    await expect(pushModule(registry, uniqueRepository("auth/pass"), providerFor(env))).rejects.toMatchObject({
      code: "unauthorized",
    });
  });
});
