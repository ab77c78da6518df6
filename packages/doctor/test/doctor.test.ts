import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  describeDoctor,
  doctor,
  doctorFailure,
  type DoctorOptions,
  type DoctorRecord,
  type Probe,
  type ProbeId,
} from "@tofu-oci/doctor";
import { cli } from "@tofu-oci/doctor/command";
import { exitCodeOf, staticCredentials } from "@tofu-oci/core";
import { runCli } from "@tofu-oci/cli-kit";
import { packModule } from "@tofu-oci/pack";
import { push } from "@tofu-oci/push";
import {
  memoryContext,
  parseRecords,
  PERSONALITIES,
  PERSONALITY_NAMES,
  RegistryStorage,
  runBin,
  startPersonality,
  tempDir,
  uniqueRepository,
  type PersonalityName,
  type RegistryInfo,
  type RunningPersonality,
} from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";

// tofu-oci doctor against every registry personality (docs/contract/registry-quirks.md) in front of
// the real registry, in-process; the bins once each at the end.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-doctor-test-");
const fronts: RunningPersonality[] = [];
const MiB = 1024 * 1024;

afterAll(async () => {
  await Promise.all(fronts.map((front) => front.stop()));
  scratch.cleanup();
});

async function front(name: PersonalityName, variant?: string): Promise<RunningPersonality> {
  const started = await startPersonality(name, {
    registry: registries[PERSONALITIES[name].defaultMode],
    ...(variant ? { variant } : {}),
  });
  fronts.push(started);
  return started;
}

/** Runs doctor in-process on a fresh repository of the front, as the user the front expects. */
function diagnose(
  target: RunningPersonality | RegistryInfo,
  options: Partial<DoctorOptions> = {},
): Promise<DoctorRecord> {
  const { credentials, plainHttp } = "personality" in target ? target : asUser(target);
  return doctor(
    {
      reference: `${target.host}/${uniqueRepository("doctor/app")}`,
      clientOptions: {
        plainHttp,
        ...(target.caFile ? { caFile: target.caFile } : {}),
        ...(credentials ? { credentials: staticCredentials(credentials) } : {}),
        retry: { retries: 1, minDelayMs: 10 },
      },
      credentials: { from: "flags", username: credentials?.username ?? "" },
      ...options,
    },
    { env: { HOME: scratch.path }, cwd: scratch.path, tmpdir: scratch.path },
  );
}

/** A shared test registry as its user reaches it. */
function asUser(registry: RegistryInfo): { credentials?: { username: string; password: string }; plainHttp: boolean } {
  const plainHttp = registry.mode !== "tls";
  return registry.username
    ? { credentials: { username: registry.username, password: registry.password! }, plainHttp }
    : { plainHttp };
}

function probe(record: DoctorRecord, id: ProbeId): Probe {
  return record.probes.find((found) => found.id === id)!;
}

/** What each personality's report must say; the catalogue row behind each is named beside it. */
interface Expected {
  ok: boolean;
  auth: "basic" | "bearer" | "none";
  /** The token realm lives on another host (gitlab-jwt-realm, Docker Hub's auth.docker.io). */
  realmElsewhere?: boolean;
  streamed: "ok" | "warn";
  /** `refused` (gar-no-chunked), or the chunk size that worked. */
  chunked: "refused" | number;
  minChunk?: number;
  maxChunk?: number;
  patchStatus?: 201;
  mount?: 201 | 202;
  referrersApi?: boolean;
  deleteAllowed?: boolean;
  /** The registry's words in the failure (allow-lists). */
  words?: string;
  rateLimitHeaders?: boolean;
}

/** A registry where everything OpenTofu needs works; each personality says how it differs. */
const works: Expected = {
  ok: true,
  auth: "bearer",
  streamed: "ok",
  chunked: MiB,
  mount: 201,
  referrersApi: false,
  deleteAllowed: true,
};
const ghcr: Expected = { ...works, streamed: "warn", maxChunk: 4128768, deleteAllowed: false }; // ghcr-patch-4mib, ghcr-delete-405
const ecr: Expected = { ...works, chunked: 5 * MiB, minChunk: 5 * MiB, patchStatus: 201 }; // ecr-min-part-5mb, ecr-patch-201
const allowList = (words: string, realmElsewhere: boolean): Expected => ({
  ...works,
  ok: false,
  realmElsewhere,
  words,
});
const EXPECTED: Record<string, Expected> = {
  ghcr,
  "ghcr@referrers-303": ghcr, // ghcr-referrers-404-then-303
  ecr: { ...ecr, auth: "basic", referrersApi: true }, // ecr-basic-challenge
  "ecr-public": ecr,
  gar: { ...works, chunked: "refused" }, // gar-no-chunked
  dockerhub: { ...works, realmElsewhere: true, deleteAllowed: false, rateLimitHeaders: true }, // dockerhub-ratelimit-headers
  gitlab: allowList("unknown media type: application/vnd.opentofu.modulepkg", true), // gitlab-mediatype-allowlist, gitlab-jwt-realm
  "gitlab@opentofu-types-allowed": { ...works, realmElsewhere: true },
  harbor: { ...works, referrersApi: true }, // harbor-csrf-cookie, delete by digest
  quay: allowList("'archive/zip' is not one of", false), // quay-artifact-allowlist
  "quay@opentofu-types-allowed": { ...works, referrersApi: true },
  acr: { ...works, referrersApi: true }, // acr-refresh-token-exchange, acr-content-range-format
  artifactory: { ...works, mount: 202 }, // artifactory-mount-202-autoshare, artifactory-referrers-406
  nexus: { ...works, auth: "basic" }, // nexus-basic-uppercase
  zot: { ...works, auth: "basic", referrersApi: true },
  distribution: { ...works, auth: "none" },
};

describe.concurrent("every registry personality gets its own report", () => {
  it("covers every personality", () => {
    expect(PERSONALITY_NAMES.every((name) => name in EXPECTED)).toBe(true);
  });

  it.each(Object.entries(EXPECTED))("%s", async (spec, expected) => {
    const [name, variant] = spec.split("@") as [PersonalityName, string | undefined];
    const record = await diagnose(await front(name, variant));
    const text = describeDoctor(record);
    expect(record.ok, text).toBe(expected.ok);
    expect(probe(record, "connection").status).toBe("ok");
    const auth = probe(record, "authentication");
    expect(auth.status, text).toBe("ok");
    expect(auth.facts?.scheme).toBe(expected.auth);
    if (expected.auth === "bearer")
      expect(auth.facts?.realmHost !== record.registry).toBe(expected.realmElsewhere ?? false);
    expect(probe(record, "push").status, text).toBe("ok");
    expect(probe(record, "upload-monolithic").status, text).toBe("ok");
    expect(probe(record, "upload-streamed").status, text).toBe(expected.streamed);
    const chunked = probe(record, "upload-chunked");
    if (expected.chunked === "refused") expect([chunked.status, chunked.facts?.chunked], text).toEqual(["warn", false]);
    else expect([chunked.status, chunked.facts?.chunkBytes], text).toEqual(["ok", expected.chunked]);
    if (expected.minChunk) expect(chunked.facts?.minChunkBytes).toBe(expected.minChunk);
    if (expected.maxChunk) expect(chunked.facts?.maxChunkBytes).toBe(expected.maxChunk);
    if (expected.patchStatus) expect(chunked.facts?.patchStatus).toBe(expected.patchStatus);
    if (!expected.ok) {
      expect(record.failure?.probe).toBe("module");
      expect(record.failure?.message).toContain(expected.words);
      expect(record.failure?.hint).toContain("allow-list");
      expect(probe(record, "media-types").status).toBe("fail");
      expect(exitCodeOf(doctorFailure(record))).toBe(1);
      expect(record.left).toEqual([]);
      return;
    }
    expect(record.verdict).toMatch(/^OpenTofu can install modules and providers from here/);
    expect(doctorFailure(record)).toBeUndefined();
    for (const id of ["module", "provider", "media-types"] as const) expect(probe(record, id).status, text).toBe("ok");
    expect(probe(record, "mount").facts?.status, text).toBe(expected.mount);
    const referrers = probe(record, "referrers");
    expect(referrers.status, text).not.toBe("fail");
    expect(referrers.facts?.api ?? false, text).toBe(expected.referrersApi);
    const deleted = probe(record, "delete");
    expect(deleted.facts?.manifestsDeleted, text).toBe(expected.deleteAllowed);
    if (expected.deleteAllowed) expect(record.left, text).toEqual([]);
    else {
      expect(deleted.status).toBe("warn");
      expect(
        record.left.some((item) => item.includes("(tags module)")),
        text,
      ).toBe(true);
    }
    expect(probe(record, "rate-limit").facts?.["ratelimit-limit"] !== undefined).toBe(
      expected.rateLimitHeaders ?? false,
    );
  });
});

describe.concurrent("the transport, the credentials and what is written", () => {
  it("names --plain-http for a plain HTTP registry reached over HTTPS (exit 5)", async () => {
    const record = await diagnose(registries.plain, { clientOptions: { plainHttp: false, retry: { retries: 0 } } });
    const connection = probe(record, "connection");
    expect(connection).toMatchObject({ status: "fail", code: "network", hint: "Pass --plain-http." });
    expect(connection.summary).toContain("speaks plain HTTP, not TLS");
    expect(record.probes.filter((found) => found.status === "skip")).toHaveLength(record.probes.length - 1);
    expect(exitCodeOf(doctorFailure(record))).toBe(5);
  });

  it("says to drop --plain-http for a TLS registry, and to trust its CA (exit 5)", async () => {
    const record = await diagnose(registries.tls, { clientOptions: { plainHttp: true, retry: { retries: 0 } } });
    expect(probe(record, "connection").summary).toContain("speaks TLS (HTTPS), not plain HTTP");
    expect(probe(record, "connection").hint).toMatch(/^Drop --plain-http, and pass --ca-file/);
    expect(exitCodeOf(doctorFailure(record))).toBe(5);
    const untrusted = await diagnose(registries.tls, { clientOptions: { retry: { retries: 0 } } });
    expect(probe(untrusted, "connection").summary).toContain("certificate");
    expect(probe(untrusted, "connection").hint).toMatch(/^Pass --ca-file/);
  });

  it("reports a wrong password as an authentication failure (exit 4) and probes nothing after it", async () => {
    for (const registry of [registries.basic, registries.token]) {
      const record = await diagnose(registry, {
        clientOptions: {
          plainHttp: true,
          credentials: staticCredentials({ username: registry.username!, password: "wrong" }),
        },
      });
      const auth = probe(record, "authentication");
      expect(auth).toMatchObject({ status: "fail", code: "unauthorized" });
      expect(auth.summary).toContain("rejected the credentials");
      expect(auth.hint).toContain("-u and -p/--password-stdin");
      expect(probe(record, "push").status).toBe("skip");
      expect(exitCodeOf(doctorFailure(record))).toBe(4);
      expect(JSON.stringify(record)).not.toContain("wrong");
    }
  });

  it("explains credentials found by OpenTofu's search, as auth resolve does, without the secret", async () => {
    const registry = registries.basic;
    const home = join(scratch.path, "home-basic");
    mkdirSync(join(home, ".docker"), { recursive: true });
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString("base64");
    writeFileSync(join(home, ".docker", "config.json"), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const record = await doctor(
      {
        reference: `${registry.host}/${uniqueRepository("doctor/found")}`,
        clientOptions: { plainHttp: true },
        readOnly: true,
      },
      { env: { HOME: home }, cwd: home },
    );
    expect(record.credentials).toMatchObject({
      from: "opentofu",
      source: join(home, ".docker", "config.json"),
      username: registry.username,
      anonymous: false,
    });
    expect(probe(record, "authentication").summary).toContain(`${join(home, ".docker", "config.json")}`);
    expect(JSON.stringify(record)).not.toContain(registry.password!);
    expect(JSON.stringify(record)).not.toContain(auth);
  });

  it("with --read-only writes nothing, verifies REF's artifact, and says the verdict is about reading", async () => {
    const registryFront = await front("distribution");
    const repository = uniqueRepository("doctor/readonly");
    const moduleDir = join(scratch.path, "readonly-module");
    mkdirSync(moduleDir, { recursive: true });
    writeFileSync(join(moduleDir, "main.tf"), 'output "x" {\n  value = 1\n}\n');
    const zip = await packModule(moduleDir, { output: join(scratch.path, "readonly.zip"), threads: 0 });
    await push({
      reference: `${registryFront.host}/${repository}:1.0.0`,
      packages: [{ ...zip }],
      clientOptions: { plainHttp: true },
    });
    const before = registryFront.requests.length;
    const record = await diagnose(registryFront, {
      reference: `${registryFront.host}/${repository}:1.0.0`,
      readOnly: true,
    });
    expect(record.ok, describeDoctor(record)).toBe(true);
    expect(record.verdict).toContain("read-only: nothing was pushed");
    expect(probe(record, "artifact").status).toBe("ok");
    expect(probe(record, "read").facts?.tags).toBe(1);
    for (const id of ["push", "upload-monolithic", "module", "provider", "mount", "delete"] as const)
      expect(probe(record, id)).toMatchObject({ status: "skip", summary: "--read-only: nothing is written" });
    const writes = registryFront.requests.slice(before).filter((request) => !["GET", "HEAD"].includes(request.method));
    expect(writes).toEqual([]);
    expect(new RegistryStorage(registryFront.registry.dataDir).hasRepository(`${repository}/tofu-oci-doctor`)).toBe(
      false,
    );
    const missingTag = await diagnose(registryFront, {
      reference: `${registryFront.host}/${repository}:9.9.9`,
      readOnly: true,
    });
    expect(probe(missingTag, "artifact")).toMatchObject({ status: "fail", code: "not-found" });
    expect(exitCodeOf(doctorFailure(missingTag))).toBe(3);
    const missing = await diagnose(registryFront, { readOnly: true });
    expect(probe(missing, "read")).toMatchObject({ status: "fail", code: "not-found" });
    expect(exitCodeOf(doctorFailure(missing))).toBe(3);
  });
});

describe("malformed input", () => {
  // 127.0.0.1:1 answers nothing: a usage error proves the input was refused before any request.
  it.each([
    ["an empty REF", "", {}],
    ["an uppercase repository", "127.0.0.1:1/Team/App", {}],
    ["a URL", "https://127.0.0.1:1/team/app", {}],
    ["a bad digest", "127.0.0.1:1/team/app@sha256:abc", {}],
    ["a bad port", "127.0.0.1:99999/team/app", {}],
    ["a scratch repository with a tag", "127.0.0.1:1/team/app", { scratchRepository: "team/doctor:1" }],
    ["an invalid scratch repository", "127.0.0.1:1/team/app", { scratchRepository: "Team/Doctor" }],
    ["REF's own repository as scratch", "127.0.0.1:1/team/app", { scratchRepository: "team/app" }],
  ] as const)("refuses %s with exit 2 before any request", async (_what, reference, options) => {
    const error = await doctor(
      { reference, clientOptions: { plainHttp: true }, credentials: { from: "flags" }, ...options },
      { env: {}, cwd: scratch.path },
    ).catch((caught: unknown) => caught);
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).toMatch(/invalid|scratch repository/);
  });

  it.each([
    ["no REF", []],
    ["an unknown flag", ["127.0.0.1:1/team/app", "--bogus"]],
    ["two REFs", ["127.0.0.1:1/team/app", "127.0.0.1:1/team/other"]],
    ["--scratch-repository without a value", ["127.0.0.1:1/team/app", "--scratch-repository"]],
  ])("the command refuses %s with exit 2", async (_what, args) => {
    const { ctx, stderr } = memoryContext({ env: { HOME: scratch.path } });
    expect(await runCli(cli, [...args], ctx)).toBe(2);
    expect(stderr()).toMatch(/error:/);
  });
});

describe("the bins", () => {
  it("tofu-oci-doctor prints one doctor record in a pipe and exits 0", async () => {
    const result = await runBin(
      "doctor",
      [`${registries.plain.host}/${uniqueRepository("doctor/bin")}`, "--plain-http"],
      { env: { HOME: scratch.path, TF_CLI_CONFIG_FILE: "" }, cwd: scratch.path },
    );
    expect(result.code, result.stderr).toBe(0);
    const records = parseRecords(result.stdout);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kind: "doctor",
      ok: true,
      readOnly: false,
      credentials: { from: "opentofu", source: null },
    });
  });

  it("tofu-oci doctor names the failing probe and the registry's words, with exit 1", async () => {
    const gitlab = await front("gitlab");
    const args = [
      "doctor",
      `${gitlab.host}/${uniqueRepository("doctor/umbrella")}`,
      "--plain-http",
      "-u",
      gitlab.credentials!.username,
      "--password-stdin",
      "--format",
      "text",
    ];
    const result = await runBin("cli", args, {
      env: { HOME: scratch.path, TF_CLI_CONFIG_FILE: "" },
      cwd: scratch.path,
      stdin: gitlab.credentials!.password,
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /^ {2}module {12}fail {4}pushing .*the registry refuses application\/vnd\.opentofu\.modulepkg/m,
    );
    expect(result.stderr).toContain("module: pushing");
    expect(result.stderr).toContain("unknown media type: application/vnd.opentofu.modulepkg");
    expect(result.stderr).toContain("allow-list");
  });
});
