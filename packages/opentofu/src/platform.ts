import { arch as hostArch, platform as hostPlatform } from "node:os";
import { usageError } from "@tofu-oci/core";

/** A provider platform with Go's names, e.g. `{ os: "linux", arch: "amd64" }`. */
export interface Platform {
  /** The operating system, GOOS style: `linux`, `darwin`, `windows`... */
  os: string;
  /** The architecture, GOARCH style: `amd64`, `arm64`... */
  arch: string;
}

/**
 * Parses a platform as OpenTofu's `getproviders.ParsePlatform` does (internal/getproviders/
 * types.go:212: two words separated by an underscore, `linux_amd64`), also accepting the OCI
 * form `linux/amd64` (docs/contract/design.md §2.3). Both words are Go's names: lowercase letters and digits.
 * @throws TofuOciError "usage" (exit 2).
 */
export function parsePlatform(text: string): Platform {
  const match = /^([a-z0-9]+)[_/]([a-z0-9]+)$/.exec(text.trim());
  if (!match) {
    throw usageError(
      `invalid platform "${text}"`,
      "Write it as OS_ARCH or OS/ARCH with Go's names, e.g. linux_amd64 or darwin/arm64.",
    );
  }
  return { os: match[1]!, arch: match[2]! };
}

/** `os_arch`, the form OpenTofu writes platforms in (`Platform.String()`). */
export function formatPlatform(platform: Platform): string {
  return `${platform.os}_${platform.arch}`;
}

/** The platform this process runs on, in Go's names (OpenTofu's `CurrentPlatform`, types.go:236). */
export function currentPlatform(): Platform {
  const os = { win32: "windows", sunos: "solaris" }[hostPlatform() as string] ?? hostPlatform();
  const arch =
    { x64: "amd64", ia32: "386", arm: "arm", arm64: "arm64", ppc64: "ppc64le", s390x: "s390x" }[hostArch() as string] ??
    hostArch();
  return { os, arch };
}
