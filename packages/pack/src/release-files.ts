import { readdir, realpath, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { invalidInput } from "@tofu-oci/core";

/** The files a provider release consists of, found from the PATHs given. */
export interface ReleaseFiles {
  /** Absolute real paths of the release zips (and of anything else given by name). */
  zips: string[];
  /** Absolute real paths of `*_SHA256SUMS` files. */
  shasums: string[];
}

/** Platform and version from a release zip's name. */
export interface ReleaseZipName {
  /** The version part of `terraform-provider-TYPE_VERSION_OS_ARCH.zip`. */
  version: string;
  /** The operating system part of the zip name, e.g. `linux`. */
  os: string;
  /** The architecture part of the zip name, e.g. `amd64`. */
  arch: string;
}

const SHASUMS_SUFFIX = "_SHA256SUMS";

/**
 * Collects release files: a file PATH is taken as given (a `*_SHA256SUMS` file or a zip); a
 * directory contributes its `*.zip` and `*_SHA256SUMS` files (not its subdirectories), so a
 * goreleaser `dist/` works as it is. The same file reached twice counts once.
 */
export async function collectReleaseFiles(paths: readonly string[], cwd: string): Promise<ReleaseFiles> {
  const zips = new Set<string>();
  const shasums = new Set<string>();
  for (const given of paths) {
    const path = resolve(cwd, given);
    const info = await stat(path).catch(() => undefined);
    if (!info)
      throw invalidInput(`${given} does not exist`, "Give release zips, or directories holding them (e.g. dist/).");
    if (info.isDirectory()) {
      for (const name of (await readdir(path)).sort()) {
        if (name.endsWith(SHASUMS_SUFFIX)) shasums.add(await realpath(join(path, name)));
        else if (name.endsWith(".zip") && (await stat(join(path, name))).isFile())
          zips.add(await realpath(join(path, name)));
      }
    } else {
      (basename(path).endsWith(SHASUMS_SUFFIX) ? shasums : zips).add(await realpath(path));
    }
  }
  if (zips.size === 0)
    throw invalidInput(
      `no release zips found in ${paths.join(", ")}`,
      "Release zips are named terraform-provider-TYPE_VERSION_OS_ARCH.zip.",
    );
  return { zips: [...zips], shasums: [...shasums] };
}

/**
 * Parses `terraform-provider-TYPE_VERSION_OS_ARCH.zip`, the standard release naming
 * (OS and ARCH hold no `_`; the version may hold `-`, `+` and `.`). Undefined when it does not fit.
 */
export function parseReleaseZipName(name: string, type: string): ReleaseZipName | undefined {
  const prefix = `terraform-provider-${type}_`;
  if (!name.startsWith(prefix) || !name.endsWith(".zip")) return undefined;
  const parts = name.slice(prefix.length, -".zip".length).split("_");
  if (parts.length !== 3 || parts.some((part) => part === "")) return undefined;
  const [version, os, arch] = parts as [string, string, string];
  return { version, os, arch };
}
