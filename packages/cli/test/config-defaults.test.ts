import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  parseRecords,
  runBin,
  sendJson,
  startHostileServer,
  tempDir,
  uniqueRepository,
  type BinResult,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// Each key of the tofu-oci config file (.tofu-ocirc.json) takes effect in the real bins, run
// through the umbrella against the real registry; without the file the same command fails.
// mirrorTemplate is tested with the provider registry in packages/mirror/test/config-template.test.ts.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-config-");
afterAll(() => scratch.cleanup());
const example = join(import.meta.dirname, "..", "..", "..", "examples", "modules", "network");
const zip = join(scratch.path, "network.zip");

/** A project directory holding `config` as .tofu-ocirc.json (or no config file). */
function project(config?: object): string {
  const dir = join(scratch.path, `project-${Math.random().toString(16).slice(2)}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  if (config) writeFileSync(join(dir, ".tofu-ocirc.json"), JSON.stringify(config));
  return dir;
}

/** `tofu-oci ARGS --format json` in `cwd`, with a HOME that holds no credentials. */
function tofuOci(cwd: string, args: string[], stdin?: string): Promise<BinResult> {
  const env = {
    HOME: scratch.path,
    XDG_CONFIG_HOME: join(scratch.path, ".config"),
    DOCKER_CONFIG: undefined,
    REGISTRY_AUTH_FILE: undefined,
    TF_CLI_CONFIG_FILE: undefined,
  };
  return runBin("cli", [...args, "--format", "json"], { cwd, env, ...(stdin !== undefined ? { stdin } : {}) });
}

function only(result: BinResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(0);
  const records = parseRecords(result.stdout);
  expect(records).toHaveLength(1);
  return records[0]!;
}

beforeAll(async () => {
  only(await tofuOci(scratch.path, ["pack", "module", example, "-o", zip]));
});

describe("config file defaults", () => {
  it("registry: a reference without a host goes to it (push, verify, auth resolve, mirror copy)", async () => {
    const { host } = registries.plain;
    const cwd = project({ registry: host, plainHttp: true });
    const repository = uniqueRepository("config/registry");
    const pushed = only(await tofuOci(cwd, ["push", `${repository}:1.0.0`, zip]));
    expect(pushed).toMatchObject({ registry: host, repository, tag: "1.0.0" });
    expect(only(await tofuOci(cwd, ["verify", `${repository}:1.0.0`]))).toMatchObject({
      ok: true,
      digest: pushed.digest,
    });
    expect(only(await tofuOci(cwd, ["auth", "resolve", repository]))).toMatchObject({ registry: host, repository });
    const copied = only(await tofuOci(cwd, ["mirror", "copy", `${repository}:1.0.0`, `${repository}-copy`]));
    expect(copied).toMatchObject({ registry: host, repository: `${repository}-copy`, digest: pushed.digest });
    // A reference that names a host is left alone.
    expect(only(await tofuOci(cwd, ["verify", `${host}/${repository}:1.0.0`]))).toMatchObject({ ok: true });
  });

  it("registry: the default HOST of auth login", async () => {
    const { host, username, password } = registries.basic;
    const authFile = join(scratch.path, "login.json");
    const cwd = project({ registry: host, registryConfig: authFile });
    expect(
      only(await tofuOci(cwd, ["auth", "login", "-u", username!, "--password-stdin", "--plain-http"], password)),
    ).toMatchObject({ kind: "login", registry: host, file: authFile });
    const missing = await tofuOci(project(), ["auth", "login", "-u", username!, "--password-stdin"], password);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("name the registry HOST");
  });

  it("plainHttp: talks HTTP to the registry", async () => {
    const ref = `${registries.plain.host}/${uniqueRepository("config/plain-http")}:1.0.0`;
    expect((await tofuOci(project(), ["push", ref, zip])).code).not.toBe(0);
    expect(only(await tofuOci(project({ plainHttp: true }), ["push", ref, zip]))).toMatchObject({ tag: "1.0.0" });
  });

  it("caFile: trusts the registry's CA", async () => {
    const { host, caFile } = registries.tls;
    const ref = `${host}/${uniqueRepository("config/ca-file")}:1.0.0`;
    expect((await tofuOci(project(), ["push", ref, zip])).code).toBe(5);
    expect(only(await tofuOci(project({ caFile }), ["push", ref, zip]))).toMatchObject({ tag: "1.0.0" });
  });

  it("insecure: skips TLS verification", async () => {
    const ref = `${registries.tls.host}/${uniqueRepository("config/insecure")}:1.0.0`;
    expect(only(await tofuOci(project({ insecure: true }), ["push", ref, zip]))).toMatchObject({ tag: "1.0.0" });
  });

  it("registryConfig: reads credentials from that docker-style file", async () => {
    const { host, username, password, plainHttp } = registries.basic;
    const ref = `${host}/${uniqueRepository("config/registry-config")}:1.0.0`;
    const authFile = join(scratch.path, "auth.json");
    writeFileSync(
      authFile,
      JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${username}:${password}`).toString("base64") } } }),
    );
    const flags = plainHttp ? ["--plain-http"] : [];
    expect((await tofuOci(project(), ["push", ref, zip, ...flags])).code).toBe(4);
    expect(only(await tofuOci(project({ registryConfig: authFile }), ["push", ref, zip, ...flags]))).toMatchObject({
      tag: "1.0.0",
    });
  });

  it("concurrency: a bad value is refused naming the key, a flag overrides the file", async () => {
    const bad = await tofuOci(project({ concurrency: 0 }), ["push", `${registries.plain.host}/x:1`, zip]);
    expect(bad.code).toBe(6);
    expect(bad.stderr).toContain('"concurrency" must be a positive integer');
    const ref = `${registries.plain.host}/${uniqueRepository("config/concurrency")}:1.0.0`;
    expect(
      only(await tofuOci(project({ concurrency: 1, plainHttp: true }), ["push", ref, zip, "--concurrency", "2"])),
    ).toMatchObject({ tag: "1.0.0" });
  });

  it("idleTimeoutMs: a registry that never sends its headers fails the run once that long passed (exit 5)", async () => {
    const silent = await startHostileServer(() => {});
    try {
      const result = await tofuOci(project({ plainHttp: true, idleTimeoutMs: 200, retries: 1, retryMinDelayMs: 1 }), [
        "verify",
        `${silent.host}/repo:1.0.0`,
      ]);
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toMatch(/Headers Timeout/i);
      expect(silent.requests).toHaveLength(2);
    } finally {
      await silent.close();
    }
  });

  it("retryDeadlineMs: no retry starts after it, however many retries are allowed", async () => {
    const failing = await startHostileServer((_req, res) => sendJson(res, 503, { errors: [{ code: "UNAVAILABLE" }] }));
    try {
      const config = { plainHttp: true, retries: 1000, retryMinDelayMs: 100, retryMaxDelayMs: 100 };
      const result = await tofuOci(project({ ...config, retryDeadlineMs: 250 }), [
        "verify",
        `${failing.host}/repo:1.0.0`,
      ]);
      expect(result.code, result.stderr).toBe(5);
      // One attempt, then retries only within the 250 ms after the first failure: a handful, not 1001.
      expect(failing.requests.length).toBeGreaterThan(1);
      expect(failing.requests.length).toBeLessThan(10);
    } finally {
      await failing.close();
    }
  });
});
