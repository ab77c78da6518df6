import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  makeServerCertificate,
  tempDir,
  uniqueRepository,
  type CertificateFiles,
  type RunningPersonality,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeModuleDir, writeModuleZip, writeProviderRelease } from "./support/fixtures.js";
import { NAMES, PLANS, tinyThrottles, writeSbom } from "./support/registry-plans.js";
import { recordsOf, RegistryUser, runTofuOci, startFront } from "./support/registry-user.js";

// The registry matrix, push side (issue 15): every command that writes, on every registry
// personality (tools/testkit/src/personalities, docs/contract/registry-quirks.md), in-process
// through the umbrella CLI as a user runs it: login with the registry's own auth variant, then
// pack | push | verify of a module; a provider whose platform zip is 70 MiB with an SBOM, then
// verify --require-sbom; a chunked push stopped by ^C and resumed; a push through tiny rate
// limits. The mirror side is registries-mirror.test.ts.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-registries-push-");
const MiB = 1024 * 1024;
let certificates: CertificateFiles;
let provider: string;
/** The pack record of the provider, made once: packing is local and the same for every registry. */
let providerRecord: string;
let sbom: string;

beforeAll(async () => {
  certificates = makeServerCertificate(scratch.path);
  // One 70 MiB platform (the size of many real providers' zips), shared by every personality.
  provider = writeProviderRelease(join(scratch.path, "provider"), "big", "1.0.0", ["linux_amd64"], 70 * MiB);
  sbom = writeSbom(scratch.path);
  const pack = ["pack", "provider", "--provider", "registry.example.com/acme/big", "--version", "1.0.0", provider];
  const [record] = recordsOf(await runTofuOci(pack, { env: {}, cwd: scratch.path }), "package");
  providerRecord = `${JSON.stringify(record)}\n`;
});

afterAll(() => scratch.cleanup());

describe.each(NAMES)("%s", (name) => {
  const plan = PLANS[name];
  let front: RunningPersonality;
  let user: RegistryUser;
  const dir = join(scratch.path, name);

  beforeAll(async () => {
    front = await startFront(name, registries, certificates, plan.variant ? { variant: plan.variant } : {});
    user = new RegistryUser(dir, front, { retries: 6, retryMinDelayMs: 20, retryMaxDelayMs: 2000 });
  });
  afterAll(async () => front?.stop());

  it("logs in with the registry's own user and auth flow", async () => {
    if (!front.credentials) {
      expect(front.backendAuth).toBe("none");
      return;
    }
    const [record] = recordsOf(await user.login(), "login");
    expect(record).toMatchObject({ registry: front.host, username: front.credentials.username, verified: true });
  });

  it("pack | push | verify of a module", async () => {
    const module = writeModuleDir(join(dir, "module"), 2048);
    const [pack] = recordsOf(await user.run(["pack", "module", module, "--out-dir", dir]), "package");
    const reference = user.ref(uniqueRepository("matrix/net"), "1.0.0");
    const [pushed] = recordsOf(
      await user.run(["push", reference, ...user.flags], { stdin: `${JSON.stringify(pack)}\n` }),
      "artifact",
    );
    expect(pushed).toMatchObject({ type: "module", tag: "1.0.0", registry: front.host });
    const [verified] = recordsOf(
      await user.run(["verify", ...user.flags], { stdin: `${JSON.stringify(pushed)}\n` }),
      "verification",
    );
    expect(verified).toMatchObject({ ok: true, digest: pushed!.digest });
  });

  it("a provider with a 70 MiB platform zip and an SBOM, then verify --require-sbom", async () => {
    const repository = user.ref(uniqueRepository("matrix/providers/acme/big"));
    const [artifact] = recordsOf(
      await user.run(["push", repository, "--sbom", sbom, ...user.flags], { stdin: providerRecord }),
      "artifact",
    );
    expect(artifact).toMatchObject({ type: "provider", tag: "1.0.0" });
    expect(artifact!.referrers).toHaveLength(1);
    const [verified] = recordsOf(
      await user.run(["verify", `${repository}:1.0.0`, "--platform", "linux_amd64", "--require-sbom", ...user.flags]),
      "verification",
    );
    expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true, digest: artifact!.digest });
  });

  it(
    plan.resumes
      ? "resumes a chunked push stopped by ^C, sending fewer bytes"
      : "uploads in one PUT where chunks are refused, so ^C loses the blob (README)",
    async () => {
      const chunked = user.workDir(join(dir, "chunked"), {
        chunkSize: 2 * MiB,
        retries: 6,
        retryMinDelayMs: 20,
        retryMaxDelayMs: 2000,
      });
      const size = 12 * MiB;
      const zip = writeModuleZip(join(dir, "resume"), "big.zip", size);
      const reference = user.ref(uniqueRepository("matrix/resume"), "1.0.0");
      const push = (signal?: AbortSignal) =>
        user.run(["push", reference, zip, ...user.flags], { cwd: chunked, ...(signal ? { signal } : {}) });
      if (!plan.resumes) {
        const [record] = recordsOf(await push(), "artifact");
        expect(record!.bytesCopied as number).toBeGreaterThanOrEqual(size);
        // gar-no-chunked: the first chunk was refused, then the blob went up whole.
        expect(front.requests.some((request) => request.method === "PATCH" && request.status === 400)).toBe(true);
        return;
      }
      const patches = () =>
        front.requests.filter((request) => request.method === "PATCH" && request.status < 300).length;
      const before = patches();
      const controller = new AbortController();
      const stopped = push(controller.signal);
      const timer = setInterval(() => {
        if (patches() >= before + 2) controller.abort();
      }, 2);
      const first = await stopped.finally(() => clearInterval(timer));
      expect(first.code, first.stderr).toBe(130);
      const again = await user.run(["push", reference, zip, ...user.flags, "-v"], { cwd: chunked });
      if (process.env.DEBUG_MATRIX) console.log(first.stderr, again.stderr, front.requests.slice(-60));
      const [resumed] = recordsOf(again, "artifact");
      // The registry checked the digest of what it got when the last chunk went up with the PUT.
      expect(resumed!.bytesCopied as number).toBeLessThanOrEqual(size + 4096 - 2 * MiB);
      expect(
        front.requests.filter(
          (request) => request.method === "PUT" && request.path.includes("digest=") && request.status === 201,
        ).length,
      ).toBeGreaterThan(0);
    },
  );
});

describe.each(NAMES.filter((name) => tinyThrottles(name) !== undefined))("%s with tiny rate limits", (name) => {
  const plan = PLANS[name];
  const dir = join(scratch.path, `${name}-limits`);

  it("pushes and verifies through the registry's own 429s", async () => {
    const throttled = await startFront(name, registries, certificates, {
      ...(plan.variant ? { variant: plan.variant } : {}),
      knobs: { throttles: tinyThrottles(name)! },
    });
    try {
      // A limit of 3 requests in 0.3 s refuses about every other request of a push, challenges
      // included; a 429 costs time, not one of the operation's retries (RetryBudget.throttled).
      const other = new RegistryUser(join(dir, "throttled"), throttled, {
        retryMinDelayMs: 50,
        retryMaxDelayMs: 300,
      });
      if (throttled.credentials) recordsOf(await other.login());
      const zip = writeModuleZip(join(dir, "throttled"), "small.zip", 1024);
      const reference = other.ref(uniqueRepository("matrix/throttled"), "1.0.0");
      const [pushed] = recordsOf(await other.run(["push", reference, zip, ...other.flags]), "artifact");
      recordsOf(await other.run(["verify", reference, ...other.flags]), "verification");
      expect(
        throttled.requests.filter((request) => request.status === 429).length,
        `${pushed!.digest}`,
      ).toBeGreaterThan(0);
    } finally {
      await throttled.stop();
    }
  });
});

describe.each(NAMES.filter((name) => PLANS[name].refusesByDefault !== undefined))(
  "%s with its default allow-list",
  (name) => {
    const plan = PLANS[name];
    const dir = join(scratch.path, `${name}-allow-list`);

    it("says which OpenTofu media type the default allow-list refuses, in the registry's words", async () => {
      const strict = await startFront(name, registries, certificates);
      try {
        const other = new RegistryUser(join(dir, "strict"), strict);
        recordsOf(await other.login());
        mkdirSync(join(dir, "strict"), { recursive: true });
        const zip = writeModuleZip(join(dir, "strict"), "refused.zip", 1024);
        const result = await other.run([
          "push",
          other.ref(uniqueRepository("matrix/refused"), "1.0.0"),
          zip,
          ...other.flags,
        ]);
        expect(result.code, result.stderr).toBe(5);
        expect(result.stderr).toMatch(/refused the manifest because of /);
        expect(result.stderr).toMatch(plan.refusesByDefault!);
        expect(result.stderr).toMatch(/allow-list|ALLOWED_OCI_ARTIFACT_TYPES/);
      } finally {
        await strict.stop();
      }
    });
  },
);
