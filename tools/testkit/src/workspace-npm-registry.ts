import { spawn } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";

/** A dependency to serve, with everything it depends on: `name` as Node resolves it from `from`. */
export interface RegistryRoot {
  from: string;
  name: string;
}

/** A read-only npm registry on 127.0.0.1 that serves packages already installed in this workspace. */
export interface WorkspaceNpmRegistry {
  /** `http://127.0.0.1:PORT/`, for `npm_config_registry`. */
  url: string;
  /** Every `name@version` it serves. */
  readonly packages: string[];
  /** Every request path, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

interface Served {
  dir: string;
  manifest: Record<string, unknown> & { name: string; version: string };
}

/**
 * Starts an npm registry whose packuments and tarballs come from the workspace's own installed
 * dependencies (the pnpm store behind `node_modules`): each root plus its dependencies, optional
 * ones if installed and required peers. Plain `npm install` against it resolves and installs as
 * it would from the public registry, without reaching it; a package it lacks gets a 404.
 */
export async function startWorkspaceNpmRegistry(roots: RegistryRoot[]): Promise<WorkspaceNpmRegistry> {
  const packages = collect(roots);
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? "/");
    handle(request, response, packages, `http://${request.headers.host}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    packages: [...packages.values()].flatMap((versions) =>
      [...versions.values()].map(({ manifest }) => `${manifest.name}@${manifest.version}`),
    ),
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** name -> version -> where it is installed. */
function collect(roots: RegistryRoot[]): Map<string, Map<string, Served>> {
  const packages = new Map<string, Map<string, Served>>();
  const seen = new Set<string>();
  const queue = [...roots];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const dir = resolvePackageDir(next.from, next.name);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Served["manifest"];
    const versions = packages.get(manifest.name) ?? new Map<string, Served>();
    packages.set(manifest.name, versions.set(manifest.version, { dir, manifest }));
    queue.push(...dependencyNames(manifest).map((name) => ({ from: dir, name })));
  }
  return packages;
}

function dependencyNames(manifest: Record<string, unknown>): string[] {
  const names = (key: string) => Object.keys((manifest[key] as Record<string, string> | undefined) ?? {});
  const optionalPeers = (manifest.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean }>;
  return [
    ...names("dependencies"),
    ...names("optionalDependencies"),
    ...names("peerDependencies").filter((name) => !optionalPeers[name]?.optional),
  ];
}

/** Node's lookup: `node_modules/NAME` in `from` and each parent; in a pnpm layout that finds the store copy. */
function resolvePackageDir(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

function handle(
  request: IncomingMessage,
  response: ServerResponse,
  packages: Map<string, Map<string, Served>>,
  origin: string,
): void {
  const path = decodeURIComponent(new URL(request.url ?? "/", origin).pathname);
  const tarball = /^\/-\/tarball\/(.+)\/([^/]+)\.tgz$/.exec(path);
  if (tarball) return sendTarball(response, packages.get(tarball[1]!)?.get(tarball[2]!));
  const versions = packages.get(path.slice(1));
  if (!versions)
    return void response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
  const packument = {
    name: path.slice(1),
    "dist-tags": { latest: [...versions.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true })).at(-1) },
    versions: Object.fromEntries(
      [...versions].map(([version, { manifest }]) => [
        version,
        { ...manifest, dist: { tarball: `${origin}/-/tarball/${manifest.name}/${version}.tgz` } },
      ]),
    ),
  };
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(packument));
}

/**
 * A package directory as npm packs it: every file under `package/`, modes kept (bins stay
 * executable). pnpm's store hard-links identical files, and npm's extractor skips tar's hard-link
 * entries, so links are stored as the files they are (`--hard-dereference`).
 */
function sendTarball(response: ServerResponse, served: Served | undefined): void {
  if (!served) return void response.writeHead(404).end();
  const tar = spawn(
    "tar",
    [
      "-czf",
      "-",
      "--hard-dereference",
      "--owner=0",
      "--group=0",
      "--transform",
      "s,^\\.,package,",
      "-C",
      served.dir,
      ".",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  response.writeHead(200, { "content-type": "application/octet-stream" });
  tar.stdout.pipe(response);
  tar.on("close", (code) => {
    if (code !== 0) response.destroy(new Error(`tar exited with ${code} for ${served.dir}`));
  });
}
