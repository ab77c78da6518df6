import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildZip,
  parseRecords,
  startModuleRegistry,
  startProviderRegistry,
  tempDir,
  uniqueRepository,
  type BinResult,
  type RegistryInfo,
  type TestModuleRegistry,
  type TestProviderRegistry,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeModuleZip, writeProviderRelease } from "./support/fixtures.js";
import { makeUser, type Bin, type RunOptions, type User } from "./support/user.js";

// Issue 10, "Secrets": every command that talks to a registry runs with --verbose against the
// basic-auth and the token-auth registry (and so the token server), successful and failing; no
// output, record or error message holds the password, its base64 `user:pass`, or a bearer token.
// `tofu-oci-auth token` prints a token on stdout by design (like --reveal): only that is allowed.
const registries = inject("registries");
const scratch = tempDir("tofu-oci-e2e-secrets-");
const SBOM = JSON.stringify({
  spdxVersion: "SPDX-2.3",
  SPDXID: "SPDXRef-DOCUMENT",
  name: "net",
  dataLicense: "CC0-1.0",
  packages: [],
});
/** A JSON Web Token, as the token server issues them. */
const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/;

interface Run {
  mode: string;
  args: string[];
  result: BinResult;
}

let providers: TestProviderRegistry;
let modules: TestModuleRegistry;
let moduleZip: string;
let providerRecords: string;
const runs: Run[] = [];

beforeAll(async () => {
  providers = await startProviderRegistry({
    providers: [{ namespace: "acme", type: "gizmo", versions: [{ version: "1.0.0", platforms: ["linux_amd64"] }] }],
  });
  modules = await startModuleRegistry();
  modules.addFile("/files/net.zip", buildZip([{ name: "main.tf", content: 'variable "x" {}\n' }]));
  modules.addVersion("acme/net/aws", "1.0.0", { json: "/files/net.zip" });
  moduleZip = writeModuleZip(scratch.path, "net.zip");
  writeFileSync(join(scratch.path, "sbom.spdx.json"), SBOM);
  const packer = makeUser(scratch.path, "packer");
  const release = writeProviderRelease(join(scratch.path, "release"), "thing", "1.0.0", ["linux_amd64"]);
  providerRecords = (
    await packer.run("pack", [
      "provider",
      "--provider",
      "example.com/acme/thing",
      "--version",
      "1.0.0",
      release,
      "--verbose",
      "--format",
      "json",
    ])
  ).stdout;
});
afterAll(async () => {
  await providers?.stop();
  await modules?.stop();
  scratch.cleanup();
});

/** A user whose docker config holds the registry's credentials, as `auth login` writes them. */
function loggedInUser(registry: RegistryInfo): User {
  const user = makeUser(scratch.path, registry.mode);
  mkdirSync(join(user.home, ".docker"), { recursive: true });
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString("base64");
  writeFileSync(join(user.home, ".docker", "config.json"), JSON.stringify({ auths: { [registry.host]: { auth } } }));
  return user;
}

async function record(
  mode: string,
  user: User,
  bin: Bin,
  args: string[],
  options: RunOptions = {},
): Promise<BinResult> {
  const full = [...args, "--verbose"];
  const result = await user.run(bin, full, { timeoutMs: 60_000, ...options });
  runs.push({ mode, args: [bin, ...full], result });
  return result;
}

/** Every command, in the order a user would run them; returns their exit codes by command. */
async function runEverything(registry: RegistryInfo): Promise<Record<string, number | null>> {
  const { mode, host, username, password } = registry;
  const user = loggedInUser(registry);
  const repo = uniqueRepository(`e2e/secrets/${mode}`);
  const ref = `${host}/${repo}`;
  const codes: Record<string, number | null> = {};
  const go = async (name: string, bin: Bin, args: string[], options: RunOptions = {}) => {
    codes[name] = (await record(mode, user, bin, [...args, "--format", "json"], options)).code;
  };
  await go("auth login", "auth", ["login", host, "-u", username!, "--password-stdin", "--plain-http"], {
    stdin: `${password}\n`,
  });
  await go(
    "auth login (wrong password)",
    "auth",
    [
      "login",
      host,
      "-u",
      username!,
      "--password-stdin",
      "--plain-http",
      "--registry-config",
      join(user.cwd, "other.json"),
    ],
    { stdin: "wrong\n" },
  );
  await go("auth resolve", "auth", ["resolve", `${ref}/net`]);
  await go("auth token", "auth", ["token", `${ref}/net`, "--plain-http"]);
  await go("push module", "push", [
    `${ref}/net:1.0.0`,
    moduleZip,
    "--plain-http",
    "--sbom",
    join(scratch.path, "sbom.spdx.json"),
  ]);
  await go("push module (password flag)", "push", [
    `${ref}/net2:1.0.0`,
    moduleZip,
    "--plain-http",
    "-u",
    username!,
    "-p",
    password!,
  ]);
  await go(
    "push module (wrong password)",
    "push",
    [`${ref}/net3:1.0.0`, moduleZip, "--plain-http", "-u", username!, "--password-stdin"],
    { stdin: "wrong\n" },
  );
  await go("push provider", "push", [`${ref}/thing`, "--plain-http"], { stdin: providerRecords });
  await go("attach", "push", ["attach", `${ref}/net:1.0.0`, join(scratch.path, "sbom.spdx.json"), "--plain-http"]);
  await go("verify module", "verify", [`${ref}/net:1.0.0`, "--plain-http", "--require-sbom"]);
  await go("verify provider", "verify", [`${ref}/thing:1.0.0`, "--plain-http"]);
  await go("mirror copy", "mirror", ["copy", `${ref}/thing:1.0.0`, `${ref}/thing-copy`, "--plain-http", "--recursive"]);
  await go("mirror export", "mirror", [
    "export",
    `${ref}/net:1.0.0`,
    "-o",
    join(user.cwd, "bundle.tar"),
    "--plain-http",
  ]);
  await go("mirror import", "mirror", [
    "import",
    join(user.cwd, "bundle.tar"),
    "--to",
    `${ref}/imported/\${repository}`,
    "--plain-http",
  ]);
  await go("mirror providers", "mirror", [
    "providers",
    `${providers.host}/acme/gizmo@1.0.0`,
    "--to",
    `${ref}/providers/\${namespace}/\${type}`,
    "--platform",
    "linux_amd64",
    "--source-plain-http",
    "--plain-http",
  ]);
  await go("mirror modules", "mirror", [
    "modules",
    `${modules.host}/acme/net/aws@1.0.0`,
    "--to",
    `${ref}/modules/net`,
    "--source-plain-http",
    "--plain-http",
  ]);
  await go("umbrella verify", "cli", ["verify", `${ref}/net:1.0.0`, "--plain-http"]);
  await go("auth logout", "auth", ["logout", host]);
  await go("verify after logout", "verify", [`${ref}/net:1.0.0`, "--plain-http"]);
  return codes;
}

const EXPECTED_CODES = {
  "auth login": 0,
  "auth login (wrong password)": 4,
  "auth resolve": 0,
  "push module": 0,
  "push module (password flag)": 0,
  "push module (wrong password)": 4,
  "push provider": 0,
  attach: 0,
  "verify module": 0,
  "verify provider": 0,
  "mirror copy": 0,
  "mirror export": 0,
  "mirror import": 0,
  "mirror providers": 0,
  "mirror modules": 0,
  "umbrella verify": 0,
  "auth logout": 0,
  "verify after logout": 4,
};

describe("no secret in any output", () => {
  it.each(["basic", "token"] as const)(
    "runs every command with --verbose against the %s registry",
    { timeout: 120_000 },
    async (mode) => {
      const codes = await runEverything(registries[mode]);
      // Basic auth has no bearer token to show (exit 4); the token registry's is printed on stdout.
      expect(codes).toEqual({ ...EXPECTED_CODES, "auth token": mode === "basic" ? 4 : 0 });
    },
  );

  it("finds neither the password, nor user:pass in base64, nor a bearer token anywhere", () => {
    expect(runs.length).toBeGreaterThanOrEqual(38);
    expect(runs.some((run) => run.result.stderr.includes("debug:"))).toBe(true);
    for (const mode of ["basic", "token"] as const) {
      const { username, password } = registries[mode];
      const secrets = [password!, Buffer.from(`${username}:${password}`).toString("base64")];
      for (const { args, result } of runs) {
        const token =
          args.includes("token") && result.code === 0 ? String(parseRecords(result.stdout)[0]!.token) : undefined;
        const stdout = token ? result.stdout.replace(token, "<token>") : result.stdout;
        for (const [stream, text] of [
          ["stdout", stdout],
          ["stderr", result.stderr],
        ] as const) {
          for (const secret of secrets) expect(text, `${stream} of ${args.join(" ")}`).not.toContain(secret);
          expect(text, `${stream} of ${args.join(" ")}`).not.toMatch(JWT);
        }
      }
    }
  });

  it("the token printed by auth token is a real bearer token (so the search above can find one)", () => {
    const token = runs.find((run) => run.mode === "token" && run.args.includes("token"));
    expect(String(parseRecords(token!.result.stdout)[0]!.token)).toMatch(JWT);
  });
});
