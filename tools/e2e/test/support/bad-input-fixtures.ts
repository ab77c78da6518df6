import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, sha256Digest } from "@tofu-oci/core";
import { buildModuleManifest } from "@tofu-oci/opentofu";
import { OciLayout } from "@tofu-oci/core/layout";
import { buildTar, buildZip, lyingSizeZip, ratioBomb, sizeBomb, truncatedZip } from "@tofu-oci/testkit";
import { writeModuleDir, writeModuleZip } from "./fixtures.js";
import { providerExecutable } from "./hostile-files.js";

/** Paths of the malformed inputs the table feeds the bins; all outside the users' directories. */
export interface BadFiles {
  moduleDir: string;
  moduleZip: string;
  noTfDir: string;
  escapingLinkDir: string;
  truncatedZip: string;
  ratioBombZip: string;
  sizeBombZip: string;
  /** Provider release directories, each with one broken release zip. */
  release: Record<"truncated" | "ratioBomb" | "sizeBomb" | "slip" | "absolute" | "noExecutable", string>;
  tar: Record<"symlink" | "truncated" | "slip" | "absolute", string>;
  /** Module zips that OpenTofu or verify refuse, or unpack into something else than they show. */
  hostileZip: Record<"slip" | "backslashSlip" | "symlink" | "duplicate" | "lyingSize", string>;
  /** OCI layouts (`PATH:1.0.0`) of a module whose zip layer is hostile. */
  layout: Record<"ratioBomb" | "slip" | "truncated" | "lyingSize" | "escapingDigest" | "fifoBlob", string>;
  badLockFile: string;
}

const TYPE = "thing";
const RELEASE_NAME = `terraform-provider-${TYPE}_1.0.0_linux_amd64.zip`;

/** Where each malformed input lives under `root`; pure, so the table can be built before writing. */
export function badFilePaths(root: string): BadFiles {
  const at = (...parts: string[]) => join(root, ...parts);
  return {
    moduleDir: at("module"),
    moduleZip: at("module.zip"),
    noTfDir: at("no-tf"),
    escapingLinkDir: at("escaping"),
    truncatedZip: at("truncated.zip"),
    ratioBombZip: at("ratio-bomb.zip"),
    sizeBombZip: at("size-bomb.zip"),
    release: {
      truncated: at("releases", "truncated"),
      ratioBomb: at("releases", "ratio-bomb"),
      sizeBomb: at("releases", "size-bomb"),
      slip: at("releases", "slip"),
      absolute: at("releases", "absolute"),
      noExecutable: at("releases", "no-executable"),
    },
    tar: {
      symlink: at("symlink.tar"),
      truncated: at("truncated.tar"),
      slip: at("slip.tar"),
      absolute: at("absolute.tar"),
    },
    hostileZip: {
      slip: at("hostile", "slip.zip"),
      backslashSlip: at("hostile", "backslash-slip.zip"),
      symlink: at("hostile", "symlink.zip"),
      duplicate: at("hostile", "duplicate.zip"),
      lyingSize: at("hostile", "lying-size.zip"),
    },
    layout: {
      ratioBomb: `${at("layouts", "ratio-bomb")}:1.0.0`,
      slip: `${at("layouts", "slip")}:1.0.0`,
      truncated: `${at("layouts", "truncated")}:1.0.0`,
      lyingSize: `${at("layouts", "lying-size")}:1.0.0`,
      escapingDigest: `${at("layouts", "escaping-digest")}:1.0.0`,
      fifoBlob: `${at("layouts", "fifo-blob")}:1.0.0`,
    },
    badLockFile: at("bad.terraform.lock.hcl"),
  };
}

function file(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Writes a module artifact whose zip layer is `zip` into a new layout, tagged 1.0.0. */
async function moduleLayout(reference: string, zip: Buffer): Promise<void> {
  const layout = await OciLayout.open(reference.slice(0, -":1.0.0".length), { create: true });
  const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
  const { descriptor, bytes } = buildModuleManifest({ layer, title: "module.zip" });
  await layout.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  await layout.push(layer, zip);
  await layout.push(descriptor, bytes, { tag: "1.0.0" });
}

/** Writes every malformed input where {@link badFilePaths} says. */
export async function writeBadFiles(f: BadFiles): Promise<void> {
  writeModuleDir(f.moduleDir);
  writeModuleZip(dirname(f.moduleZip), basename(f.moduleZip));
  file(join(f.noTfDir, "README.md"), "# no configuration here\n");
  writeModuleDir(f.escapingLinkDir);
  symlinkSync("/etc/hostname", join(f.escapingLinkDir, "outside.tf"));
  file(f.truncatedZip, truncatedZip());
  file(f.ratioBombZip, ratioBomb("main.tf"));
  file(f.sizeBombZip, sizeBomb("main.tf"));
  const executable = providerExecutable(TYPE, "1.0.0");
  const releases: Record<keyof BadFiles["release"], Buffer> = {
    truncated: truncatedZip(),
    ratioBomb: ratioBomb(executable.name),
    sizeBomb: sizeBomb(executable.name),
    slip: buildZip([executable, { name: "../evil", content: "x" }]),
    absolute: buildZip([executable, { name: "/etc/evil", content: "x" }]),
    noExecutable: buildZip([{ name: "README.md", content: "x" }]),
  };
  for (const [name, zip] of Object.entries(releases))
    file(join(f.release[name as keyof BadFiles["release"]], RELEASE_NAME), zip);
  const layout = { name: "oci-layout", content: '{"imageLayoutVersion":"1.0.0"}' };
  file(f.tar.symlink, buildTar([layout, { name: "index.json", symlinkTo: "/etc/passwd" }]));
  file(f.tar.truncated, buildTar([{ name: "oci-layout", content: "x".repeat(4000) }]).subarray(0, 1500));
  file(f.tar.slip, buildTar([{ name: "../../evil", content: "x" }]));
  file(f.tar.absolute, buildTar([{ name: "/tmp/evil", content: "x" }]));
  await moduleLayout(f.layout.ratioBomb, ratioBomb("main.tf"));
  await moduleLayout(
    f.layout.slip,
    buildZip([
      { name: "main.tf", content: "" },
      { name: "../evil.tf", content: "x" },
    ]),
  );
  await moduleLayout(f.layout.truncated, truncatedZip());
  await moduleLayout(f.layout.lyingSize, lyingSizeZip("main.tf"));
  await escapingDigestLayout(f.layout.escapingDigest);
  await fifoBlobLayout(f.layout.fifoBlob);
  const main = { name: "main.tf", content: 'variable "x" {}\n' };
  const hostile: Record<keyof BadFiles["hostileZip"], Buffer> = {
    slip: buildZip([main, { name: "../evil.tf", content: "x" }]),
    backslashSlip: buildZip([main, { name: "..\\evil.tf", content: "x" }]),
    symlink: buildZip([main, { name: "passwd.tf", content: "/etc/passwd", mode: 0o120777 }]),
    duplicate: buildZip([main, { name: "main.tf", content: "# replaced\n" }]),
    lyingSize: lyingSizeZip("main.tf"),
  };
  for (const [name, zip] of Object.entries(hostile)) file(f.hostileZip[name as keyof BadFiles["hostileZip"]], zip);
  file(f.badLockFile, 'provider "example.com/acme/thing" {\n  version = \n');
}

/**
 * A layout (written by hand: tofu-oci refuses to write it) whose module manifest names its layer
 * `sha256:../../../../../../etc/hostname`: a reader that used the digest as a path would open it.
 */
async function escapingDigestLayout(reference: string): Promise<void> {
  const root = reference.slice(0, -":1.0.0".length);
  const zip = buildZip([{ name: "main.tf", content: "" }]);
  const layer = { mediaType: "archive/zip", digest: "sha256:../../../../../../etc/hostname", size: zip.length };
  const manifest = Buffer.from(
    JSON.stringify({
      ...buildModuleManifest({ layer: { digest: sha256Digest(zip), size: zip.length } }).manifest,
      layers: [layer],
    }),
  );
  const digest = sha256Digest(manifest);
  file(join(root, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  file(join(root, "blobs", "sha256", EMPTY_CONFIG.digest.slice(7)), Buffer.from(EMPTY_CONFIG_BYTES));
  file(join(root, "blobs", "sha256", digest.slice(7)), manifest);
  const entry = {
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest,
    size: manifest.length,
    annotations: { "org.opencontainers.image.ref.name": "1.0.0" },
  };
  file(
    join(root, "index.json"),
    JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [entry] }),
  );
}

/** A module layout whose zip layer is a FIFO, which would hang a reader that opened it blocking. */
async function fifoBlobLayout(reference: string): Promise<void> {
  const zip = buildZip([{ name: "main.tf", content: "# fifo\n" }]);
  await moduleLayout(reference, zip);
  const blob = join(reference.slice(0, -":1.0.0".length), "blobs", "sha256", sha256Digest(zip).slice(7));
  rmSync(blob);
  execFileSync("mkfifo", [blob]);
}
