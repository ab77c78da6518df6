import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { invalidInput } from "@tofu-oci/core";
import { readBuildInfo } from "./buildinfo/buildinfo.js";
import { buildCycloneDx, type SbomSubject } from "./cyclonedx.js";

/** A generated SBOM file and, when the executable had no build info, why. */
export interface ProviderSbom {
  /** The CycloneDX JSON file written, `<executable>.cdx.json` in the work directory. */
  file: string;
  /** Set when the SBOM is the minimal one: the executable has no Go build info. */
  warning?: string;
  /** Dependency modules listed. */
  modules: number;
}

/**
 * Makes the CycloneDX SBOM of one provider release zip: the executable (the
 * `terraform-provider-*` entry, else the largest file) is unpacked to `workDir`, its Go build
 * info read, and the SBOM written next to it as `<executable>.cdx.json`.
 * @throws TofuOciError "invalid-input" when the zip holds no file at all.
 */
export async function providerSbom(
  zip: string,
  workDir: string,
  subject: Omit<SbomSubject, "executable">,
): Promise<ProviderSbom> {
  const executable = await extractExecutable(zip, workDir);
  try {
    const info = await readBuildInfo(executable.path);
    const found = "reason" in info ? undefined : info;
    const json = await buildCycloneDx(
      { ...subject, executable: { name: executable.name, sha256: executable.sha256 } },
      found,
    );
    const file = join(workDir, `${basename(executable.name)}.cdx.json`);
    await writeFile(file, json);
    if (found) return { file, modules: found.deps.length };
    const why =
      "reason" in info && info.reason === "not-go"
        ? "is not a Go executable with build info"
        : "is not an ELF, Mach-O or PE executable";
    return {
      file,
      modules: 0,
      warning: `${executable.name} in ${basename(zip)} ${why}; attached a minimal SBOM without dependencies`,
    };
  } finally {
    await rm(executable.path, { force: true });
  }
}

/** Streams the provider executable out of the zip, hashing it on the way. */
async function extractExecutable(
  zip: string,
  workDir: string,
): Promise<{ name: string; path: string; sha256: string }> {
  const { readZip, listZip } = await import("@tofu-oci/core/zip");
  const entries = (await listZip(zip)).filter((entry) => !entry.isDirectory && !entry.isSymlink);
  const chosen =
    entries.find((entry) => basename(entry.name).startsWith("terraform-provider-")) ??
    [...entries].sort((a, b) => b.size - a.size)[0];
  if (!chosen) throw invalidInput(`${basename(zip)} holds no files, so it has no provider executable`);
  const path = join(workDir, `executable-${randomUUID()}`);
  const hash = createHash("sha256");
  await readZip(zip, async (entry) => {
    if (entry.name !== chosen.name) return;
    const tap = new Transform({
      transform: (chunk: Buffer, _encoding, done) => done(null, hash.update(chunk) && chunk),
    });
    await pipeline(await entry.open(), tap, createWriteStream(path));
  });
  return { name: chosen.name, path, sha256: hash.digest("hex") };
}
