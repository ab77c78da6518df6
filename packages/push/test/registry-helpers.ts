import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { staticCredentials } from "@tofu-oci/core";
import { RegistryClient, RemoteRepository, type RegistryClientOptions } from "@tofu-oci/core/remote";
import { parseRecords, runBin, runProcess, binPath, type BinResult, type RegistryInfo } from "@tofu-oci/testkit";

/** Flags that reach a test registry, credentials through a docker-style config file. */
export function registryFlags(registry: RegistryInfo, dir: string): string[] {
  const flags = registry.plainHttp ? ["--plain-http"] : ["--ca-file", registry.caFile!];
  if (!registry.username) return flags;
  const config = join(dir, `docker-config-${registry.mode}.json`);
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString("base64");
  writeFileSync(config, JSON.stringify({ auths: { [registry.host]: { auth } } }));
  return [...flags, "--registry-config", config];
}

/** Registry flags with `-u` and `--password-stdin` instead, and the stdin to send. */
export function passwordStdinFlags(registry: RegistryInfo): { flags: string[]; stdin?: string } {
  const flags = registry.plainHttp ? ["--plain-http"] : ["--ca-file", registry.caFile!];
  if (!registry.username) return { flags };
  return { flags: [...flags, "-u", registry.username, "--password-stdin"], stdin: `${registry.password}\n` };
}

/** A library client for reading back what the bins pushed. */
export function clientFor(registry: RegistryInfo, overrides: RegistryClientOptions = {}): RegistryClient {
  const options: RegistryClientOptions = { plainHttp: registry.plainHttp, retry: { retries: 1, minDelayMs: 10 } };
  if (registry.caFile) options.caFile = registry.caFile;
  if (registry.username)
    options.credentials = staticCredentials({ username: registry.username, password: registry.password! });
  return new RegistryClient({ ...options, ...overrides });
}

export function repositoryOf(client: RegistryClient, registry: { host: string }, repository: string): RemoteRepository {
  return new RemoteRepository(client, registry.host, repository);
}

/** Every tag of a repository (none when it does not exist). */
export async function tagsOf(repository: RemoteRepository): Promise<string[]> {
  const tags: string[] = [];
  for await (const tag of repository.tags()) tags.push(tag);
  return tags;
}

/** Runs tofu-oci-push with JSON output. */
export function runPush(
  args: string[],
  options: { stdin?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<BinResult> {
  // First, so that a --format in args (the last one given counts) overrides it.
  return runBin("push", ["--format", "json", ...args], options);
}

/** Runs the umbrella as `tofu-oci ARGS`. */
export function runUmbrella(args: string[], options: { stdin?: string } = {}): Promise<BinResult> {
  return runProcess(process.execPath, [binPath("cli"), ...args], options);
}

/** The one record a successful run printed; fails the test with stderr otherwise. */
export function onlyRecord<T = Record<string, any>>(result: BinResult): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
  const records = parseRecords(result.stdout);
  if (records.length !== 1) throw new Error(`expected one record, got ${result.stdout}`);
  return records[0] as T;
}
