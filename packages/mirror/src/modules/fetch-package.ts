import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { TofuOciError, invalidInput } from "@tofu-oci/core";
import type { ModuleLocation, RegistryHttp } from "@tofu-oci/registry-protocol";
import { gitClone, type GitCloneOptions } from "./git-clone.js";
import { unpackArchive } from "./package-archive.js";
import { parsePackageAddress, type ArchiveFormat } from "./package-address.js";

/** A fetched module package on disk. */
export interface FetchedPackage {
  /** The module's directory: the package root, or its `//subdir`. */
  directory: string;
  /** Where it came from, for records and messages. */
  from: string;
}

/** How {@link fetchPackage} reaches http(s) and git sources. */
export interface FetchPackageOptions {
  http: RegistryHttp;
  git: GitCloneOptions;
}

/**
 * Fetches a module version's package into `workDir`: an http(s) archive is downloaded and
 * unpacked (checked against `?checksum=` when given), a `git::` source is cloned. Unsupported
 * sources fail before anything is fetched.
 * @throws TofuOciError "invalid-input" (exit 6) for unsupported or unsafe packages.
 */
export async function fetchPackage(
  location: ModuleLocation,
  workDir: string,
  options: FetchPackageOptions,
): Promise<FetchedPackage> {
  const root = join(workDir, "package");
  if (location.kind === "direct") {
    const file = join(workDir, "package.download");
    // Bounded by the run's download cap (RegistryHttp's maxDownloadSize).
    await options.http.download(location.url, file, {
      what: `the package at ${location.url.href}`,
      withToken: location.useRegistryCredentials,
    });
    await unpackArchive(file, await sniffFormat(file, location.url.href), root, location.url.href);
    return { directory: root, from: location.url.href };
  }
  const source = parsePackageAddress(location.address);
  if (source.kind === "git") {
    await gitClone(source, root, options.git);
  } else {
    const file = join(workDir, `package.${source.format}`);
    const downloaded = await options.http.download(source.url, file, { what: `the package at ${source.url.href}` });
    const digest = `sha256:${downloaded.sha256}`;
    if (source.checksum && digest !== source.checksum) {
      throw new TofuOciError(
        "verification-failed",
        `the package at ${source.url.href} has checksum ${digest}, but its address says ${source.checksum}`,
      );
    }
    await unpackArchive(file, source.format, root, source.url.href);
  }
  return { directory: await moduleDirectory(root, source.subdir, location.address), from: location.address };
}

/** The `//subdir` inside the package, which must be a directory. */
async function moduleDirectory(root: string, subdir: string | undefined, address: string): Promise<string> {
  if (!subdir) return root;
  const directory = join(root, ...subdir.split("/"));
  if (!(await stat(directory).catch(() => undefined))?.isDirectory())
    throw invalidInput(
      `the package at "${address}" has no directory ${subdir}`,
      "The registry's location names a //subdirectory the package does not have.",
    );
  return directory;
}

/** OpenTofu sniffs a directly hosted package: zip or gzip (tar.gz) magic bytes. */
async function sniffFormat(file: string, what: string): Promise<ArchiveFormat> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.readUInt32BE(0) === 0x504b0304) return "zip";
    if (head[0] === 0x1f && head[1] === 0x8b) return "tar.gz";
  } finally {
    await handle.close();
  }
  throw invalidInput(
    `the package at ${what} is neither a zip nor a tar.gz archive`,
    "tofu-oci-mirror unpacks zip and tar.gz module packages.",
  );
}
