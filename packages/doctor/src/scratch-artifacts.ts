import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256Digest, type ModulePackageRecord, type ProviderPackageRecord } from "@tofu-oci/core";
import { packModule, packProvider } from "@tofu-oci/pack";
import { zipSync } from "fflate";

/** The scratch provider's address, version and platform; its tag is the version. */
export const SCRATCH_PROVIDER = {
  address: "registry.opentofu.org/tofu-oci/doctor",
  type: "doctor",
  version: "0.0.1",
  os: "linux",
  arch: "amd64",
} as const;
/** The scratch module's tag. */
export const SCRATCH_MODULE_TAG = "module";

/** What a run pushes to prove OpenTofu can install from the registry, made in a temp dir. */
export interface ScratchArtifacts {
  /** The temp dir holding them; remove it when done. */
  dir: string;
  /** Random, so every run pushes new digests (and so really uploads). */
  nonce: string;
  module: ModulePackageRecord;
  provider: ProviderPackageRecord;
  /** A CycloneDX SBOM file, attached to the module as a referrer, and its digest. */
  sbom: { file: string; digest: string };
}

// 1980-01-01, the zip epoch: the bytes depend on the nonce only.
const ZIP_EPOCH = new Date(1980, 0, 1);

/**
 * Packs a small module and a small provider release (one platform, an executable script) with
 * @tofu-oci/pack, exactly as `tofu-oci pack` would, and writes an SBOM, all under `dir`.
 */
export async function makeScratchArtifacts(parent: string): Promise<ScratchArtifacts> {
  const dir = await mkdtemp(join(parent, "tofu-oci-doctor-"));
  const nonce = randomBytes(8).toString("hex");
  const moduleDir = join(dir, "module");
  await mkdir(moduleDir);
  await writeFile(
    join(moduleDir, "main.tf"),
    `# Pushed by tofu-oci doctor (run ${nonce}) to prove OpenTofu can install modules from this registry.\noutput "doctor" {\n  value = "${nonce}"\n}\n`,
  );
  const module = await packModule(moduleDir, { output: join(dir, "module.zip"), threads: 0 });
  const { type, version, os, arch, address } = SCRATCH_PROVIDER;
  const zip = join(dir, `terraform-provider-${type}_${version}_${os}_${arch}.zip`);
  const executable = new TextEncoder().encode(
    `#!/bin/sh\necho "tofu-oci doctor ${nonce}: not a real provider"\nexit 1\n`,
  );
  await writeFile(
    zip,
    zipSync(
      {
        [`terraform-provider-${type}_v${version}`]: [
          executable,
          { mtime: ZIP_EPOCH, os: 3, attrs: (0o100755 << 16) >>> 0 },
        ],
      },
      { level: 6 },
    ),
  );
  const provider = await packProvider({ provider: address, version, paths: [zip], onWarning: () => {} });
  const file = join(dir, "sbom.cdx.json");
  const bom = JSON.stringify({
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    version: 1,
    metadata: { component: { type: "library", name: `tofu-oci-doctor-${nonce}` } },
  });
  await writeFile(file, bom);
  const sbom = { file, digest: sha256Digest(bom) };
  return { dir, nonce, module, provider, sbom };
}
