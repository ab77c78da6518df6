import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packModule } from "@tofu-oci/pack";
import { runProcess, startModuleRegistry, tempDir, uniqueRepository, type TestModuleRegistry } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mirror, mirrorOk, verifyOk } from "./helpers.js";

const registry = inject("registries").plain;
const scratch = tempDir("tofu-oci-mirror-modules-");
let modules: TestModuleRegistry;

/** A small module directory: main.tf, a nested module and an executable helper script. */
function writeModule(dir: string, marker: string): string {
  mkdirSync(join(dir, "modules", "subnet"), { recursive: true });
  writeFileSync(join(dir, "main.tf"), `variable "cidr" {}\noutput "marker" { value = "${marker}" }\n`);
  writeFileSync(join(dir, "modules", "subnet", "main.tf"), 'variable "cidr" {}\n');
  writeFileSync(join(dir, "helper.sh"), "#!/bin/sh\necho ok\n");
  chmodSync(join(dir, "helper.sh"), 0o755);
  return dir;
}

async function run(command: string, args: string[], cwd?: string): Promise<void> {
  const result = await runProcess(command, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
}

/** The digest pack gives the module directory itself: a mirrored copy must be identical. */
async function packedDigest(dir: string, name: string): Promise<string> {
  return (await packModule(dir, { output: join(scratch.path, `${name}.zip`) })).digest;
}


const netDirs: Record<string, string> = {};
let gitDir: string;

beforeAll(async () => {
  modules = await startModuleRegistry();
  for (const version of ["1.0.0", "1.1.0", "2.0.0-beta1"]) netDirs[version] = writeModule(join(scratch.path, `net-${version}`), version);
  // 1.0.0: a tar.gz through X-Terraform-Get (204); 1.1.0: a zip through JSON "location", relative.
  await run("tar", ["czf", join(scratch.path, "net-1.0.0.tar.gz"), "-C", netDirs["1.0.0"]!, "."]);
  modules.addFile("/files/net-1.0.0.tar.gz", readFileSync(join(scratch.path, "net-1.0.0.tar.gz")));
  modules.addVersion("acme/net/aws", "1.0.0", { header: `${modules.url}/files/net-1.0.0.tar.gz` });
  await run("zip", ["-qr", join(scratch.path, "net-1.1.0.zip"), "."], netDirs["1.1.0"]);
  modules.addFile("/files/net-1.1.0.zip", readFileSync(join(scratch.path, "net-1.1.0.zip")));
  modules.addVersion("acme/net/aws", "1.1.0", { json: "/files/net-1.1.0.zip" });
  modules.addVersion("acme/net/aws", "2.0.0-beta1", { header: `${modules.url}/files/missing.tar.gz` });

  // A git:: source with //subdir and ?ref= from a local bare repository.
  const work = join(scratch.path, "git-work");
  gitDir = writeModule(join(work, "vpc"), "git");
  const bare = join(scratch.path, "modules.git");
  await run("git", ["init", "--quiet", "--bare", bare]);
  await run("git", ["init", "--quiet", "-b", "main"], work);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "."], work);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "v1"], work);
  await run("git", ["tag", "v1.2.0"], work);
  await run("git", ["push", "--quiet", bare, "main", "v1.2.0"], work);
  modules.addVersion("acme/vpc/aws", "1.2.0", { header: `git::file://${bare}//vpc?ref=v1.2.0` });

  for (const [name, address] of [["s3", "s3::https://s3.amazonaws.com/bucket/net.zip"], ["gcs", "gcs::https://www.googleapis.com/storage/v1/bucket/net.zip"], ["hg", "hg::https://example.com/repo"]]) {
    modules.addVersion(`acme/${name}/aws`, "1.0.0", { header: address! });
  }
});

afterAll(async () => {
  await modules.stop();
  scratch.cleanup();
});

const flags = ["--source-plain-http", "--plain-http"];

describe("tofu-oci-mirror modules", () => {
  it("mirrors every matching version (tar.gz via X-Terraform-Get, zip via JSON location), repacked deterministically, and they pass verify", async () => {
    const repository = `${registry.host}/${uniqueRepository("mirror/modules/net")}`;
    const records = await mirrorOk(["modules", `${modules.host}/acme/net/aws@>= 1.0`, "--to", repository, ...flags]);
    expect(records.map((r) => r.version)).toEqual(["1.0.0", "1.1.0"]);
    expect(records[0]).toMatchObject({ kind: "artifact", type: "module", tag: "1.0.0", module: `${modules.host}/acme/net/aws`, from: `${modules.url}/files/net-1.0.0.tar.gz` });
    expect(records[1]).toMatchObject({ tag: "1.1.0", from: `${modules.url}/files/net-1.1.0.zip` });
    for (const record of records) await verifyOk(`${repository}:${record.tag}`, "module");

    // The zip layer is what tofu-oci-pack makes of the original directory, byte for byte.
    const manifest = JSON.parse((await runProcess("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${repository}:1.0.0`])).stdout) as { layers: Array<{ digest: string }> };
    expect(manifest.layers[0]!.digest).toBe(await packedDigest(netDirs["1.0.0"]!, "net-1.0.0"));

    const again = await mirrorOk(["modules", `${modules.host}/acme/net/aws@>= 1.0`, "--to", repository, ...flags]);
    expect(again.map((r) => [r.digest, r.alreadyMirrored])).toEqual(records.map((r) => [r.digest, true]));
  });

  it("picks the newest release by default and repacks identically into another repository", async () => {
    const first = `${registry.host}/${uniqueRepository("mirror/modules/default")}`;
    const [record] = await mirrorOk(["modules", `${modules.host}/acme/net/aws`, "--to", first, ...flags]);
    expect(record).toMatchObject({ version: "1.1.0" });
    const second = `${registry.host}/${uniqueRepository("mirror/modules/default")}`;
    const [repeat] = await mirrorOk(["modules", `${modules.host}/acme/net/aws@1.1.0`, "--to", second, ...flags]);
    expect(repeat!.digest).toBe(record!.digest);
  });

  it("mirrors a git:: source with //subdir and ?ref= using the local git client, and it passes verify", async () => {
    const repository = `${registry.host}/${uniqueRepository("mirror/modules/vpc")}`;
    const [record] = await mirrorOk(["modules", `${modules.host}/acme/vpc/aws`, "--to", repository, ...flags]);
    expect(record).toMatchObject({ version: "1.2.0", tag: "1.2.0", from: expect.stringMatching(/^git::file:\/\/.*\/\/vpc\?ref=v1\.2\.0$/) });
    await verifyOk(`${repository}:1.2.0`, "module");
    const manifest = JSON.parse((await runProcess("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${repository}:1.2.0`])).stdout) as { layers: Array<{ digest: string }> };
    expect(manifest.layers[0]!.digest).toBe(await packedDigest(gitDir, "vpc"));
  });

  it.each(["s3", "gcs", "hg"])("refuses a %s:: source with a clear message and pushes nothing", async (name) => {
    const repository = `${registry.host}/${uniqueRepository(`mirror/modules/${name}`)}`;
    const result = await mirror(["modules", `${modules.host}/acme/${name}/aws`, "--to", repository, ...flags]);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/error: cannot mirror the package at ".*": it is stored in (Amazon S3|Google Cloud Storage|Mercurial), which tofu-oci-mirror does not fetch/);
    const tags = await runProcess("skopeo", ["list-tags", "--tls-verify=false", `docker://${repository}`]);
    expect(tags.code).not.toBe(0);
  });

  it("says which versions exist when none matches", async () => {
    const result = await mirror(["modules", `${modules.host}/acme/net/aws@~> 3.0`, "--to", `${registry.host}/x/y`, ...flags]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no version of');
    expect(result.stderr).toContain("The registry has 1.0.0, 1.1.0, 2.0.0-beta1");
  });
});
