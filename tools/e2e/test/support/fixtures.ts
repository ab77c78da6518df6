import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildZip } from "@tofu-oci/testkit";

/** A module zip of about `size` bytes: main.tf plus a stored file of random bytes. */
export function writeModuleZip(dir: string, name: string, size = 4096): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(
    file,
    buildZip([
      { name: "main.tf", content: 'variable "x" {}\n' },
      { name: "data.bin", content: randomBytes(size) },
    ]),
  );
  return file;
}

/** A module directory with main.tf and, when `size` is given, a file of that many random bytes. */
export function writeModuleDir(dir: string, size = 0): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf"), 'variable "x" {}\n');
  if (size > 0) writeFileSync(join(dir, "blob.bin"), randomBytes(size));
  return dir;
}

/** Release zips `terraform-provider-TYPE_VERSION_OS_ARCH.zip` in `dir`, each with an executable. */
export function writeProviderRelease(
  dir: string,
  type: string,
  version: string,
  platforms: readonly string[],
  executableSize = 2048,
): string {
  mkdirSync(dir, { recursive: true });
  for (const platform of platforms) {
    const executable = {
      name: `terraform-provider-${type}_v${version}`,
      content: randomBytes(executableSize),
      mode: 0o755,
    };
    writeFileSync(join(dir, `terraform-provider-${type}_${version}_${platform}.zip`), buildZip([executable]));
  }
  return dir;
}
