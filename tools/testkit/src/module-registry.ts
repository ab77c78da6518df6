import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the registry answers a version's `download` request. */
export type ModuleDownload =
  /** 204 No Content with `X-Terraform-Get: LOCATION`. */
  | { header: string }
  /** 200 with the JSON body `{"location": LOCATION}`. */
  | { json: string };

export interface ModuleRegistryOptions {
  /** Where `modules.v1` points, relative to the host. Default `/v1/modules/`. */
  servicePath?: string;
  /** Require `Authorization: Bearer TOKEN` on the API (not on files). Default: no auth. */
  token?: string;
}

/** A Module Registry Protocol server on 127.0.0.1 (OpenTofu internal/registry/client.go). */
export interface TestModuleRegistry {
  /** `127.0.0.1:PORT`, the host part of module addresses. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Publishes a version of `NAMESPACE/NAME/SYSTEM` with its download answer. */
  addVersion(module: string, version: string, download: ModuleDownload): void;
  /** Serves `bytes` at `path` (e.g. `/files/vpc-1.0.0.tar.gz`). */
  addFile(path: string, bytes: Uint8Array): void;
  /** Every request path, in order, for asserting what was fetched. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/**
 * Starts a local module registry: service discovery, `versions`, `download` (204 with
 * `X-Terraform-Get` or 200 JSON `location`) and static files for the archives it points to.
 */
export async function startModuleRegistry(options: ModuleRegistryOptions = {}): Promise<TestModuleRegistry> {
  const servicePath = options.servicePath ?? "/v1/modules/";
  const modules = new Map<string, Map<string, ModuleDownload>>();
  const files = new Map<string, Uint8Array>();
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? "");
    handle(request, response, { servicePath, modules, files, token: options.token });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    requests,
    addVersion: (module, version, download) => {
      if (!modules.has(module)) modules.set(module, new Map());
      modules.get(module)!.set(version, download);
    },
    addFile: (path, bytes) => void files.set(path, bytes),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface State {
  servicePath: string;
  modules: Map<string, Map<string, ModuleDownload>>;
  files: Map<string, Uint8Array>;
  token: string | undefined;
}

function handle(request: IncomingMessage, response: ServerResponse, state: State): void {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/.well-known/terraform.json") return json(response, 200, { "modules.v1": state.servicePath });
  const file = state.files.get(path);
  if (file)
    return void response
      .writeHead(200, { "content-type": "application/octet-stream", "content-length": file.length })
      .end(file);
  if (!path.startsWith(state.servicePath)) return json(response, 404, { errors: ["not found"] });
  if (state.token && request.headers.authorization !== `Bearer ${state.token}`)
    return json(response, 401, { errors: ["unauthorized"] });
  api(path.slice(state.servicePath.length).split("/"), response, state);
}

/** `NS/NAME/SYSTEM/versions` and `NS/NAME/SYSTEM/VERSION/download`. */
function api(parts: string[], response: ServerResponse, state: State): void {
  const versions = state.modules.get(parts.slice(0, 3).join("/"));
  if (!versions) return json(response, 404, { errors: ["not found"] });
  if (parts.length === 4 && parts[3] === "versions") {
    return json(response, 200, {
      modules: [
        { source: parts.slice(0, 3).join("/"), versions: [...versions.keys()].map((version) => ({ version })) },
      ],
    });
  }
  const download = parts.length === 5 && parts[4] === "download" ? versions.get(parts[3]!) : undefined;
  if (!download) return json(response, 404, { errors: ["not found"] });
  if ("header" in download) return void response.writeHead(204, { "x-terraform-get": download.header }).end();
  json(response, 200, { location: download.json });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
    .end(text);
}
