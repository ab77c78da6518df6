import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Digest } from "@tofu-oci/core";
import { parseRecords, skopeo, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { authBin, providerFor, pushModule, userEnv } from "./support.js";

const registries = inject("registries");

/** Acceptance 3: login, then push, against the real registry; skopeo reads the written file. */
describe.each(["basic", "token"] as const)("login then push (%s auth)", (mode) => {
  const registry = registries[mode];
  const dir = tempDir(`tofu-oci-auth-${mode}-`);
  const env = userEnv(dir.path);
  const authFile = join(dir.path, ".config/containers/auth.json");
  const login = (password: string) =>
    authBin(["login", registry.host, "-u", registry.username!, "--password-stdin", "--plain-http"], env, password);
  afterAll(() => dir.cleanup());

  it("refuses a wrong password and writes nothing", async () => {
    const result = await login("wrong");
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`${registry.host} rejected the credentials`);
    expect(() => statSync(authFile)).toThrow();
  });

  it("stores the credentials where OpenTofu reads first, with mode 0600, keeping other keys", async () => {
    mkdirSync(join(dir.path, ".config/containers"), { recursive: true });
    writeFileSync(
      authFile,
      JSON.stringify({
        auths: { "other.example": { auth: "dTpw" } },
        credHelpers: { "x.example": "secretservice" },
        custom: { keep: [1, 2] },
      }),
    );
    const result = await login(registry.password!);
    expect(result.code, result.stderr).toBe(0);
    expect(parseRecords(result.stdout)[0]).toEqual({
      kind: "login",
      registry: registry.host,
      username: registry.username,
      store: "file",
      file: authFile,
      verified: true,
    });
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(authFile, "utf8"));
    expect(written).toMatchObject({
      credHelpers: { "x.example": "secretservice" },
      custom: { keep: [1, 2] },
      auths: { "other.example": { auth: "dTpw" } },
    });
    expect(Buffer.from(written.auths[registry.host].auth, "base64").toString()).toBe(
      `${registry.username}:${registry.password}`,
    );
  });

  it("pushes with the credentials OpenTofu would pick, and skopeo --authfile accepts the file", async () => {
    const repository = uniqueRepository(`auth/${mode}`);
    const digest = await pushModule(registry, repository, providerFor(env));
    // --raw: skopeo's image view refuses artifacts; authenticating is what is tested here.
    const raw = await skopeo([
      "inspect",
      "--raw",
      "--authfile",
      authFile,
      "--tls-verify=false",
      `docker://${registry.host}/${repository}:1.0.0`,
    ]);
    expect(sha256Digest(raw)).toBe(digest);
  });

  it(
    mode === "token" ? "prints a pull-scope bearer token" : "explains that Basic registries issue no token",
    async () => {
      const result = await authBin(["token", `${registry.host}/auth/anything`, "--plain-http"], env);
      if (mode === "basic") {
        expect(result.code).toBe(4);
        expect(result.stderr).toContain("uses Basic authentication");
        return;
      }
      expect(result.code, result.stderr).toBe(0);
      const record = parseRecords(result.stdout)[0]!;
      expect(record).toMatchObject({ kind: "token", registry: registry.host, scope: "repository:auth/anything:pull" });
      const claims = JSON.parse(Buffer.from(String(record.token).split(".")[1]!, "base64url").toString());
      expect(claims.access).toEqual([{ type: "repository", name: "auth/anything", actions: ["pull"] }]);
    },
  );

  it("logs out, after which pushes are refused", async () => {
    const result = await authBin(["logout", registry.host, "--format", "text"], env);
    expect(result.stdout.trim()).toBe(`Removed the credentials for ${registry.host} from ${authFile}`);
    expect(JSON.parse(readFileSync(authFile, "utf8")).auths).toEqual({ "other.example": { auth: "dTpw" } });
    await expect(pushModule(registry, uniqueRepository(`auth/${mode}`), providerFor(env))).rejects.toMatchObject({
      code: "unauthorized",
    });
  });
});
