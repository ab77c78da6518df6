import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { digestFile, openTarget, pushGraph, staticCredentials } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { providerGraph } from "@tofu-oci/opentofu";
import { packModule, packProvider } from "@tofu-oci/pack";
import { push } from "@tofu-oci/push";
import { buildZip, startPersonality, type RunningPersonality } from "@tofu-oci/testkit";

/** A registry the tests push to and read from: its host and the client options that reach it. */
export interface Bed {
  host: string;
  clientOptions: RegistryClientOptions;
  /** Scratch directory for zips and configurations. */
  dir: string;
}

export const PLATFORMS = ["darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64"] as const;

let counter = 0;

function scratch(bed: Bed, name: string): string {
  const dir = join(bed.dir, `${name}-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The release zips of a provider version, one per platform, each with its own executable. */
function releaseZips(bed: Bed, type: string, version: string, platforms: readonly string[]): string {
  const dir = scratch(bed, `${type}-${version}`);
  for (const platform of platforms) {
    const exe = platform.startsWith("windows")
      ? `terraform-provider-${type}_v${version}.exe`
      : `terraform-provider-${type}_v${version}`;
    const zip = buildZip([
      { name: exe, content: `#!/bin/sh\necho ${type} ${version} ${platform}\n`, mode: 0o755 },
      { name: "LICENSE", content: `${type} license\n` },
    ]);
    writeFileSync(join(dir, `terraform-provider-${type}_${version}_${platform}.zip`), zip);
  }
  return dir;
}

/**
 * Pushes a provider version to `repository` as users do: tofu-oci pack provider, then push (which
 * records each platform's h1: on its manifest). With `annotation` "none" or a fixed h1: string,
 * the graph is pushed directly instead, without or with that annotation.
 */
export async function pushProvider(
  bed: Bed,
  repository: string,
  provider: { address: string; version: string; platforms?: readonly string[]; annotation?: "none" | string },
): Promise<void> {
  const type = provider.address.split("/")[2]!;
  const dir = releaseZips(bed, type, provider.version, provider.platforms ?? PLATFORMS);
  const record = await packProvider({
    provider: provider.address,
    version: provider.version,
    paths: [dir],
    onWarning: () => {},
  });
  const reference = `${bed.host}/${repository}`;
  if (provider.annotation === undefined) {
    await push({ reference, packages: [{ ...record }], clientOptions: bed.clientOptions });
    return;
  }
  const platforms = await Promise.all(
    record.platforms.map(async (p) => ({
      os: p.os,
      arch: p.arch,
      zip: { file: p.file, ...(await digestFile(p.file)) },
      ...(provider.annotation === "none" ? {} : { h1: provider.annotation! }),
    })),
  );
  const { target, client } = await openTarget(reference, { clientOptions: bed.clientOptions });
  await pushGraph(target, providerGraph(platforms), [provider.version.replaceAll("+", "_")]);
  await client?.close();
}

/** Packs and pushes a module whose main.tf names `version`, under `tag`; returns its digest. */
export async function pushModule(
  bed: Bed,
  repository: string,
  tag: string,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = scratch(bed, "module");
  const module = join(dir, "net");
  writeTree(module, { "main.tf": `output "version" {\n  value = "${tag}"\n}\n`, ...files });
  const record = await packModule(module, { outDir: dir, threads: 0 });
  const [artifact] = await push({
    reference: `${bed.host}/${repository}:${tag}`,
    packages: [{ ...record }],
    clientOptions: bed.clientOptions,
  });
  return (artifact as { digest: string }).digest;
}

/** Writes files (with directories) under `dir`. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A configuration directory holding these files. */
export function configuration(bed: Bed, files: Record<string, string>): string {
  return writeTree(scratch(bed, "config"), files);
}

/** A CLI configuration file with one oci_mirror block; returns the env that makes OpenTofu (and deps) read it. */
export function cliConfig(bed: Bed, template: string, include: string[] = []): Record<string, string> {
  const file = join(scratch(bed, "tofurc"), "tofurc");
  const includes = include.length > 0 ? `\n    include = [${include.map((p) => JSON.stringify(p)).join(", ")}]` : "";
  writeFileSync(
    file,
    `provider_installation {\n  oci_mirror {\n    repository_template = "${template}"${includes}\n  }\n  direct {\n    exclude = [${include.map((p) => JSON.stringify(p)).join(", ")}]\n  }\n}\n`,
  );
  return { TF_CLI_CONFIG_FILE: file, HOME: bed.dir };
}

/** A bed in front of a registry personality, with the login that works there. */
export function personalityBed(front: RunningPersonality, dir: string): Bed {
  return {
    host: front.host,
    dir,
    clientOptions: {
      plainHttp: front.plainHttp,
      ...(front.caFile ? { caFile: front.caFile } : {}),
      ...(front.credentials ? { credentials: staticCredentials(front.credentials) } : {}),
    },
  };
}

export { startPersonality };
