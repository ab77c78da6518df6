import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, sha256Digest, type CredentialProvider } from "@tofu-oci/core";
import { buildModuleManifest } from "@tofu-oci/opentofu";
import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";
import { ensureCommands, runBin, type BinResult, type RegistryInfo } from "@tofu-oci/testkit";
import { opentofuCredentials } from "@tofu-oci/auth";

/** Variables that would change discovery if the test runner happens to have them set. */
const NEUTRAL_ENV = {
  XDG_CONFIG_HOME: "",
  XDG_RUNTIME_DIR: "",
  TF_CLI_CONFIG_FILE: "",
  TERRAFORM_CONFIG: "",
  DOCKER_CONFIG: "",
  REGISTRY_AUTH_FILE: "",
};

/** The environment of a user whose home is `home`, plus `extra`. */
export function userEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...NEUTRAL_ENV, HOME: home, ...extra };
}

/** Runs the built tofu-oci-auth bin as that user, in their home directory. */
export function authBin(args: string[], env: Record<string, string>, stdin?: string): Promise<BinResult> {
  return runBin("auth", args, { env, cwd: env.HOME!, ...(stdin === undefined ? {} : { stdin }) });
}

/** The credential provider other commands get, reading the real files of that user. */
export function providerFor(env: Record<string, string>, cwd = env.HOME!): CredentialProvider {
  return opentofuCredentials({ env: { ...process.env, ...env }, platform: process.platform, cwd });
}

/** Pushes a small module package (config, one zip layer, manifest tagged 1.0.0); returns the manifest digest. */
export async function pushModule(
  registry: RegistryInfo,
  repository: string,
  credentials: CredentialProvider,
): Promise<string> {
  const client = new RegistryClient({
    plainHttp: registry.plainHttp,
    credentials,
    retry: { retries: 1, minDelayMs: 10 },
  });
  try {
    const target = new RemoteRepository(client, registry.host, repository);
    const zip = randomBytes(512);
    const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
    const { bytes, descriptor } = buildModuleManifest({ layer, title: "module.zip" });
    await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    await target.push(layer, zip);
    await target.push(descriptor, bytes, { tag: "1.0.0" });
    return (await target.resolve("1.0.0")).digest;
  } finally {
    await client.close();
  }
}

/** A throwaway gpg key and password store in `dir`, so the real docker-credential-pass works. */
export function setUpPass(dir: string): Record<string, string> {
  ensureCommands({ "docker-credential-pass": "golang-docker-credential-helpers", pass: "pass", gpg: "gnupg" });
  const env = { GNUPGHOME: join(dir, "gnupg"), PASSWORD_STORE_DIR: join(dir, "password-store") };
  mkdirSync(env.GNUPGHOME, { recursive: true, mode: 0o700 });
  const run = (command: string, args: string[]) =>
    execFileSync(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  run("gpg", [
    "--batch",
    "--passphrase",
    "",
    "--quick-gen-key",
    "tofu-oci test <test@tofu-oci.invalid>",
    "default",
    "default",
    "never",
  ]);
  run("pass", ["init", "test@tofu-oci.invalid"]);
  return env;
}

/** Stops the gpg-agent that setUpPass's key started. */
export function tearDownPass(env: Record<string, string>): void {
  execFileSync("gpgconf", ["--kill", "gpg-agent"], { env: { ...process.env, ...env }, stdio: "ignore" });
}
