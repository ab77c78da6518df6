import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeServerCertificate, makeTokenSigningCertificate } from "./certificates.js";
import { ensureCommands } from "./system-deps.js";
import { startTokenServer, type TokenServer } from "./token-server.js";

export type RegistryMode = "plain" | "tls" | "basic" | "token";
export const REGISTRY_MODES: readonly RegistryMode[] = ["plain", "tls", "basic", "token"];

export interface TestRegistry {
  mode: RegistryMode;
  /** `127.0.0.1:PORT` */
  host: string;
  /** `http://127.0.0.1:PORT` or `https://...` */
  url: string;
  plainHttp: boolean;
  /** The CA certificate that signed the TLS registry's certificate. */
  caFile?: string;
  username?: string;
  password?: string;
  /** Where the registry stores content. */
  dataDir: string;
  tokenServer?: TokenServer;
  /** skopeo flags that reach this registry: TLS trust and credentials. */
  skopeoFlags: string[];
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  mode: RegistryMode;
  /** Parent directory for config, certificates and data. Default: a new temp dir. */
  workDir?: string;
  username?: string;
  password?: string;
  /** Listen on this port, e.g. to restart a stopped registry where clients expect it. Default: a free one. */
  port?: number;
  /**
   * On stop, let requests in flight finish for up to this long (distribution's
   * `http.draintimeout`, a graceful shutdown). Default 0: requests in flight are cut off.
   */
  drainTimeoutSeconds?: number;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts CNCF distribution (Debian's docker-registry) on 127.0.0.1 on a free port. Installs the
 * Debian packages first when they are missing and the process is root.
 */
export async function startRegistry(options: StartRegistryOptions): Promise<TestRegistry> {
  ensureCommands();
  const { mode } = options;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), `tofu-oci-registry-${mode}-`));
  mkdirSync(workDir, { recursive: true });
  const dataDir = join(workDir, "data");
  const port = options.port ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  const username = options.username ?? "tofu";
  const password = options.password ?? `s3cret-${process.pid}-${port}`;
  const lines = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${dataDir}`,
    "  delete:",
    "    enabled: true",
    "  maintenance:",
    "    uploadpurging:",
    "      enabled: false",
    "http:",
    `  addr: ${host}`,
    `  secret: tofu-oci-test-${port}`,
    ...(options.drainTimeoutSeconds ? [`  draintimeout: ${options.drainTimeoutSeconds}s`] : []),
  ];
  const result: Partial<TestRegistry> = {
    mode,
    host,
    dataDir,
    plainHttp: mode !== "tls",
    skopeoFlags: ["--tls-verify=false"],
  };
  let tokenServer: TokenServer | undefined;

  if (mode === "tls") {
    const certs = makeServerCertificate(workDir);
    const certDir = join(workDir, "skopeo-certs");
    mkdirSync(certDir, { recursive: true });
    copyFileSync(certs.caCert, join(certDir, "ca.crt"));
    lines.push("  tls:", `    certificate: ${certs.cert}`, `    key: ${certs.key}`);
    result.caFile = certs.caCert;
    result.skopeoFlags = ["--cert-dir", certDir];
  }
  if (mode === "basic") {
    const htpasswd = join(workDir, "htpasswd");
    writeFileSync(htpasswd, execFileSync("htpasswd", ["-Bbn", username, password], { encoding: "utf8" }));
    lines.push("auth:", "  htpasswd:", "    realm: tofu-oci-test", `    path: ${htpasswd}`);
  }
  if (mode === "token") {
    const signing = makeTokenSigningCertificate(workDir);
    tokenServer = await startTokenServer({
      keyFile: signing.key,
      certFile: signing.cert,
      issuer: "tofu-oci-test-issuer",
      service: "tofu-oci-test",
      users: { [username]: password },
    });
    lines.push(
      "auth:",
      "  token:",
      `    realm: ${tokenServer.realm}`,
      "    service: tofu-oci-test",
      "    issuer: tofu-oci-test-issuer",
      `    rootcertbundle: ${signing.cert}`,
    );
    result.tokenServer = tokenServer;
  }
  if (mode === "basic" || mode === "token") {
    result.username = username;
    result.password = password;
    result.skopeoFlags = [...result.skopeoFlags!, "--creds", `${username}:${password}`];
  }

  const configFile = join(workDir, "config.yml");
  writeFileSync(configFile, `${lines.join("\n")}\n`);
  const child = spawn("docker-registry", ["serve", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  result.url = `${mode === "tls" ? "https" : "http"}://${host}`;
  try {
    await waitUntilServing(port, child, () => stderr);
  } catch (error) {
    child.kill("SIGKILL");
    await tokenServer?.close();
    throw error;
  }

  result.stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    running.delete(child);
    await tokenServer?.close();
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  };
  return result as TestRegistry;
}

async function waitUntilServing(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not start listening on port ${port}: ${stderr()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
