import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { zipSync } from "fflate";
import { sendEndless } from "./hostile-server.js";

/** One provider the test registry serves. */
export interface TestProvider {
  namespace: string;
  type: string;
  versions: ReadonlyArray<{ version: string; platforms: readonly string[]; protocols?: readonly string[] }>;
  /** The executable inside each zip; default a small text that names the release. */
  executable?: (version: string, platform: string) => Uint8Array;
}

/** A way to break one provider version, for the acceptance cases of the mirror. */
export type ProviderFault =
  /** The zip served for the first platform differs from what SHA256SUMS and `shasum` say. */
  | "zip-bytes"
  /** SHA256SUMS is signed by a key the registry does not list. */
  | "wrong-key"
  /** The signature URL answers 404. */
  | "no-signature"
  /** The download metadata's `shasum` is wrong for the first platform. */
  | "bad-shasum"
  /** The download metadata lists no signing keys. */
  | "no-keys"
  /** The first platform's zip never ends (no Content-Length, filler until the client goes away, at most 256 MiB). */
  | "endless-zip"
  /** The versions list names the first platform, but its download metadata answers 404. */
  | "missing-download";

export interface ProviderRegistryOptions {
  providers: readonly TestProvider[];
  /** Add the v1.12+ `packages` field to download metadata. Default false. */
  packagesField?: boolean;
}

/** A release file as the registry serves it. */
export interface ReleaseZip {
  filename: string;
  bytes: Uint8Array;
  sha256: string;
}

/** A running Provider Registry Protocol server on 127.0.0.1. */
export interface TestProviderRegistry {
  /** `127.0.0.1:PORT`, the host part of provider addresses. */
  host: string;
  /** The ASCII-armored public key that signs SHA256SUMS. */
  publicKey: string;
  /** The zip of one version and platform (`os_arch`). */
  zip(namespace: string, type: string, version: string, platform: string): ReleaseZip;
  /** The SHA256SUMS document of one version. */
  sha256sums(namespace: string, type: string, version: string): Buffer;
  /** Breaks (or with undefined, repairs) one version. */
  setFault(namespace: string, type: string, version: string, fault: ProviderFault | undefined): void;
  /** Paths requested so far, e.g. `/files/hashicorp/null/1.0.0/terraform-provider-null_1.0.0_linux_amd64.zip`. */
  requests: string[];
  /** Paths requested with an `Authorization` header, and the header. */
  authorized: Array<{ path: string; authorization: string }>;
  /** Zip bytes served so far. */
  bytesServed(): number;
  stop(): Promise<void>;
}

type OpenPgp = typeof import("openpgp");

/**
 * Starts a Provider Registry Protocol server (service discovery, versions, download metadata,
 * zips, SHA256SUMS and its binary detached signature) with a throwaway OpenPGP key made for
 * the run, and fault injection per version.
 */
export async function startProviderRegistry(options: ProviderRegistryOptions): Promise<TestProviderRegistry> {
  const openpgp = await import("openpgp");
  const key = await generateKey(openpgp, "tofu-oci test registry");
  const otherKey = await generateKey(openpgp, "someone else");
  const state = new RegistryState(openpgp, options, key, otherKey);
  const server = createServer((request, response) => {
    state.handle(request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    publicKey: key.publicKey,
    zip: (ns, type, version, platform) => state.zip(ns, type, version, platform),
    sha256sums: (ns, type, version) => state.sha256sums(ns, type, version),
    setFault: (ns, type, version, fault) => state.setFault(`${ns}/${type}/${version}`, fault),
    requests: state.requests,
    authorized: state.authorized,
    bytesServed: () => state.bytesServed,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface SigningKey {
  privateKey: import("openpgp").PrivateKey;
  publicKey: string;
}

async function generateKey(openpgp: OpenPgp, name: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name, email: "test@example.com" }],
    format: "object",
  });
  return { privateKey, publicKey: publicKey.armor() };
}

class RegistryState {
  readonly requests: string[] = [];
  readonly authorized: Array<{ path: string; authorization: string }> = [];
  bytesServed = 0;
  readonly #faults = new Map<string, ProviderFault>();
  readonly #zips = new Map<string, ReleaseZip>();

  constructor(
    readonly openpgp: OpenPgp,
    readonly options: ProviderRegistryOptions,
    readonly key: SigningKey,
    readonly otherKey: SigningKey,
  ) {}

  setFault(id: string, fault: ProviderFault | undefined): void {
    if (fault) this.#faults.set(id, fault);
    else this.#faults.delete(id);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    this.requests.push(path);
    if (request.headers.authorization) this.authorized.push({ path, authorization: request.headers.authorization });
    if (path === "/.well-known/terraform.json") return json(response, { "providers.v1": "/v1/providers/" });
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "v1" && parts[1] === "providers") return this.#api(response, parts.slice(2));
    if (parts[0] === "files" && parts.length === 5)
      return this.#file(request, response, parts[1]!, parts[2]!, parts[3]!, parts[4]!);
    notFound(response);
  }

  #api(response: ServerResponse, [ns, type, ...rest]: string[]): void {
    const provider = this.#provider(ns, type);
    if (!provider) return notFound(response);
    if (rest.length === 1 && rest[0] === "versions") {
      const versions = provider.versions.map((v) => ({
        version: v.version,
        protocols: v.protocols ?? ["5.0"],
        platforms: v.platforms.map(platformObject),
      }));
      return json(response, { versions, warnings: null });
    }
    const [version, download, os, arch] = rest;
    const release = provider.versions.find((v) => v.version === version);
    if (download !== "download" || !release || !release.platforms.includes(`${os}_${arch}`)) return notFound(response);
    if (
      this.#faults.get(`${provider.namespace}/${provider.type}/${release.version}`) === "missing-download" &&
      `${os}_${arch}` === release.platforms[0]
    )
      return notFound(response);
    json(response, this.#downloadMetadata(provider, release, `${os}_${arch}`));
  }

  #downloadMetadata(provider: TestProvider, release: TestProvider["versions"][number], platform: string): object {
    const { namespace: ns, type } = provider;
    const [os, arch] = platform.split("_");
    const fault = this.#faults.get(`${ns}/${type}/${release.version}`);
    const zip = this.zip(ns, type, release.version, platform);
    const first = platform === release.platforms[0];
    const base = `/files/${ns}/${type}/${release.version}/`;
    const metadata: Record<string, unknown> = {
      protocols: release.protocols ?? ["5.0"],
      os,
      arch,
      filename: zip.filename,
      download_url: `${base}${zip.filename}`,
      shasums_url: `${base}${sumsName(type, release.version)}`,
      shasums_signature_url: `${base}${sumsName(type, release.version)}.sig`,
      shasum: fault === "bad-shasum" && first ? createHash("sha256").update("not the zip").digest("hex") : zip.sha256,
      signing_keys: {
        gpg_public_keys: fault === "no-keys" ? [] : [{ key_id: "TEST", ascii_armor: this.key.publicKey }],
      },
    };
    if (this.options.packagesField) {
      metadata.packages = Object.fromEntries(
        release.platforms.map((p) => {
          const other = this.zip(ns, type, release.version, p);
          return [p, { hashes: [`zh:${other.sha256}`], package_size: other.bytes.length }];
        }),
      );
    }
    return metadata;
  }

  async #file(
    request: IncomingMessage,
    response: ServerResponse,
    ns: string,
    type: string,
    version: string,
    name: string,
  ): Promise<void> {
    const provider = this.#provider(ns, type);
    const release = provider?.versions.find((v) => v.version === version);
    if (!provider || !release) return notFound(response);
    const fault = this.#faults.get(`${ns}/${type}/${version}`);
    const sums = sumsName(type, version);
    if (name === sums) return send(response, this.sha256sums(ns, type, version));
    if (name === `${sums}.sig`) {
      if (fault === "no-signature") return notFound(response);
      return send(
        response,
        await this.#sign(this.sha256sums(ns, type, version), fault === "wrong-key" ? this.otherKey : this.key),
      );
    }
    const platform = release.platforms.find((p) => this.zip(ns, type, version, p).filename === name);
    if (!platform) return notFound(response);
    if (fault === "endless-zip" && platform === release.platforms[0])
      return sendEndless(request, response, { "content-type": "application/zip" }, 256 * 1024 * 1024);
    let bytes = this.zip(ns, type, version, platform).bytes;
    if (fault === "zip-bytes" && platform === release.platforms[0])
      bytes = Buffer.concat([bytes, Buffer.from("tampered")]);
    this.bytesServed += bytes.length;
    send(response, bytes, "application/zip");
  }

  zip(ns: string, type: string, version: string, platform: string): ReleaseZip {
    const id = `${ns}/${type}/${version}/${platform}`;
    let zip = this.#zips.get(id);
    if (!zip) {
      const provider = this.#provider(ns, type);
      if (!provider) throw new Error(`no provider ${ns}/${type}`);
      const executable =
        provider.executable?.(version, platform) ??
        new TextEncoder().encode(`fake provider ${ns}/${type} ${version} for ${platform}\n`);
      const suffix = platform.startsWith("windows_") ? ".exe" : "";
      const bytes = zipSync({
        [`terraform-provider-${type}_v${version}${suffix}`]: [executable, { mtime: new Date("2020-01-01T00:00:00Z") }],
      });
      zip = {
        filename: `terraform-provider-${type}_${version}_${platform}.zip`,
        bytes,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      };
      this.#zips.set(id, zip);
    }
    return zip;
  }

  sha256sums(ns: string, type: string, version: string): Buffer {
    const release = this.#provider(ns, type)?.versions.find((v) => v.version === version);
    if (!release) throw new Error(`no release ${ns}/${type} ${version}`);
    const lines = release.platforms
      .map((p) => this.zip(ns, type, version, p))
      .map((zip) => `${zip.sha256}  ${zip.filename}\n`);
    return Buffer.from(lines.sort().join(""));
  }

  async #sign(document: Buffer, key: SigningKey): Promise<Uint8Array> {
    const message = await this.openpgp.createMessage({ binary: document });
    return this.openpgp.sign({ message, signingKeys: key.privateKey, detached: true, format: "binary" });
  }

  #provider(ns: string | undefined, type: string | undefined): TestProvider | undefined {
    return this.options.providers.find((p) => p.namespace === ns && p.type === type);
  }
}

function sumsName(type: string, version: string): string {
  return `terraform-provider-${type}_${version}_SHA256SUMS`;
}

function platformObject(platform: string): { os: string; arch: string } {
  const [os, arch] = platform.split("_");
  return { os: os!, arch: arch! };
}

function json(response: ServerResponse, body: unknown): void {
  send(response, Buffer.from(JSON.stringify(body)), "application/json");
}

function send(response: ServerResponse, body: Uint8Array, type = "application/octet-stream"): void {
  response.writeHead(200, { "content-type": type, "content-length": body.length });
  response.end(body);
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { "content-type": "text/plain" });
  response.end("not found");
}
