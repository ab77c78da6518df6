import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packModule } from "@tofu-oci/pack";
import {
  runProcess,
  startGitDaemon,
  startModuleRegistry,
  tempDir,
  uniqueRepository,
  type GitDaemon,
  type TestModuleRegistry,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mirror, mirrorOk, verifyOk } from "./helpers.js";

const registry = inject("registries").plain;
const scratch = tempDir("tofu-oci-mirror-modules-");
let modules: TestModuleRegistry;
let gitServer: GitDaemon;
let bare: string;

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
  for (const version of ["1.0.0", "1.1.0", "2.0.0-beta1"])
    netDirs[version] = writeModule(join(scratch.path, `net-${version}`), version);
  // 1.0.0: a tar.gz through X-Terraform-Get (204); 1.1.0: a zip through JSON "location", relative.
  await run("tar", ["czf", join(scratch.path, "net-1.0.0.tar.gz"), "-C", netDirs["1.0.0"]!, "."]);
  modules.addFile("/files/net-1.0.0.tar.gz", readFileSync(join(scratch.path, "net-1.0.0.tar.gz")));
  modules.addVersion("acme/net/aws", "1.0.0", { header: `${modules.url}/files/net-1.0.0.tar.gz` });
  await run("zip", ["-qr", join(scratch.path, "net-1.1.0.zip"), "."], netDirs["1.1.0"]);
  modules.addFile("/files/net-1.1.0.zip", readFileSync(join(scratch.path, "net-1.1.0.zip")));
  modules.addVersion("acme/net/aws", "1.1.0", { json: "/files/net-1.1.0.zip" });
  modules.addVersion("acme/net/aws", "2.0.0-beta1", { header: `${modules.url}/files/missing.tar.gz` });

  // A git:: source with //subdir and ?ref=, served by git daemon on loopback (another host:port
  // than the registry's).
  const work = join(scratch.path, "git-work");
  gitDir = writeModule(join(work, "vpc"), "git");
  mkdirSync(join(scratch.path, "git"));
  bare = join(scratch.path, "git", "modules.git");
  await run("git", ["init", "--quiet", "--bare", bare]);
  await run("git", ["init", "--quiet", "-b", "main"], work);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "."], work);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "v1"], work);
  await run("git", ["tag", "v1.2.0"], work);
  await run("git", ["push", "--quiet", bare, "main", "v1.2.0"], work);
  gitServer = await startGitDaemon(join(scratch.path, "git"));
  modules.addVersion("acme/vpc/aws", "1.2.0", { header: `git::${gitServer.url}/modules.git//vpc?ref=v1.2.0` });
  // Issue 22, item 1: addresses a hostile registry supplies to reach the mirroring machine's own files.
  for (const [name, address] of [
    ["git-file", `git::file://${bare}//vpc?ref=v1.2.0`],
    ["git-path", `git::${bare}//vpc`],
    ["file", "file:///etc"],
    ["hg-file", `hg::file://${bare}`],
    ["home-path", "~/modules.git//vpc"],
  ]) {
    modules.addVersion(`local/${name}/aws`, "1.0.0", { header: address! });
  }

  for (const [name, address] of [
    ["s3", "s3::https://s3.amazonaws.com/bucket/net.zip"],
    ["gcs", "gcs::https://www.googleapis.com/storage/v1/bucket/net.zip"],
    ["hg", "hg::https://example.com/repo"],
  ]) {
    modules.addVersion(`acme/${name}/aws`, "1.0.0", { header: address! });
  }
});

afterAll(async () => {
  await gitServer?.stop();
  await modules.stop();
  scratch.cleanup();
});

const flags = ["--source-plain-http", "--plain-http"];

describe("tofu-oci-mirror modules", () => {
  it("mirrors every matching version (tar.gz via X-Terraform-Get, zip via JSON location), repacked deterministically, and they pass verify", async () => {
    const repository = `${registry.host}/${uniqueRepository("mirror/modules/net")}`;
    const records = await mirrorOk(["modules", `${modules.host}/acme/net/aws@>= 1.0`, "--to", repository, ...flags]);
    expect(records.map((r) => r.version)).toEqual(["1.0.0", "1.1.0"]);
    expect(records[0]).toMatchObject({
      kind: "artifact",
      type: "module",
      tag: "1.0.0",
      module: `${modules.host}/acme/net/aws`,
      from: `${modules.url}/files/net-1.0.0.tar.gz`,
    });
    expect(records[1]).toMatchObject({ tag: "1.1.0", from: `${modules.url}/files/net-1.1.0.zip` });
    for (const record of records) await verifyOk(`${repository}:${record.tag}`, "module");

    // The zip layer is what tofu-oci-pack makes of the original directory, byte for byte.
    const manifest = JSON.parse(
      (await runProcess("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${repository}:1.0.0`])).stdout,
    ) as { layers: Array<{ digest: string }> };
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

  it("mirrors a git:: source with //subdir and ?ref= using the local git client, saying the download host is not the registry's, and it passes verify", async () => {
    const repository = `${registry.host}/${uniqueRepository("mirror/modules/vpc")}`;
    const result = await mirror([
      "modules",
      `${modules.host}/acme/vpc/aws`,
      "--to",
      repository,
      ...flags,
      "--format",
      "json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `note: 1.2.0: the package is downloaded from ${gitServer.host}, not from the registry ${modules.host}`,
    );
    const [record] = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(record).toMatchObject({
      version: "1.2.0",
      tag: "1.2.0",
      from: `git::${gitServer.url}/modules.git//vpc?ref=v1.2.0`,
    });
    await verifyOk(`${repository}:1.2.0`, "module");
    const manifest = JSON.parse(
      (await runProcess("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${repository}:1.2.0`])).stdout,
    ) as { layers: Array<{ digest: string }> };
    expect(manifest.layers[0]!.digest).toBe(await packedDigest(gitDir, "vpc"));
  });

  it.each(["s3", "gcs", "hg"])("refuses a %s:: source with a clear message and pushes nothing", async (name) => {
    const repository = `${registry.host}/${uniqueRepository(`mirror/modules/${name}`)}`;
    const result = await mirror(["modules", `${modules.host}/acme/${name}/aws`, "--to", repository, ...flags]);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /error: cannot mirror the package at ".*": it is stored in (Amazon S3|Google Cloud Storage|Mercurial), which tofu-oci-mirror does not fetch/,
    );
    const tags = await runProcess("skopeo", ["list-tags", "--tls-verify=false", `docker://${repository}`]);
    expect(tags.code).not.toBe(0);
  });

  it("with --allow-download-host, refuses a package from any other host than the registry and those listed", async () => {
    const repository = `${registry.host}/${uniqueRepository("mirror/modules/allow")}`;
    const refused = await mirror([
      "modules",
      `${modules.host}/acme/vpc/aws`,
      "--to",
      repository,
      ...flags,
      "--allow-download-host",
      "github.com",
    ]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain(
      `${gitServer.host} is neither the registry ${modules.host} nor an allowed download host`,
    );
    expect((await runProcess("skopeo", ["list-tags", "--tls-verify=false", `docker://${repository}`])).code).not.toBe(
      0,
    );
    await mirrorOk([
      "modules",
      `${modules.host}/acme/vpc/aws`,
      "--to",
      repository,
      ...flags,
      "--allow-download-host",
      "github.com",
      "--allow-download-host",
      gitServer.host,
    ]);
    // The registry's own host needs no listing.
    await mirrorOk([
      "modules",
      `${modules.host}/acme/net/aws@1.0.0`,
      "--to",
      repository,
      ...flags,
      "--allow-download-host",
      "github.com",
    ]);
  });

  it.each(["git-file", "git-path", "file", "hg-file", "home-path"])(
    "refuses a registry-supplied %s address that reaches this machine's files (exit 6), cloning and pushing nothing",
    async (name) => {
      const repository = `${registry.host}/${uniqueRepository(`mirror/modules/${name}`)}`;
      const result = await mirror(["modules", `${modules.host}/local/${name}/aws`, "--to", repository, ...flags]);
      expect(result.code, result.stderr).toBe(6);
      expect(result.stderr).toMatch(
        /error: cannot mirror the package at ".*": it (names a repository on this machine|is a path on this machine|is stored in a local path|is stored in Mercurial)/,
      );
      expect((await runProcess("skopeo", ["list-tags", "--tls-verify=false", `docker://${repository}`])).code).not.toBe(
        0,
      );
    },
  );

  // Issue 22, item 14: an oversized answer from the registry is its fault (exit 5), not invalid input (6).
  it("fails a versions list over the API limit as the registry's fault (exit 5)", async () => {
    for (let i = 0; i < 100_000; i++)
      modules.addVersion("huge/list/aws", `1.0.${i}`, { header: `${modules.url}/files/net-1.0.0.tar.gz` });
    const result = await mirror(["modules", `${modules.host}/huge/list/aws`, "--to", `${registry.host}/x/y`, ...flags]);
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/the versions of .* is larger than 1048576 bytes/);
  });

  it("says which versions exist when none matches", async () => {
    const result = await mirror([
      "modules",
      `${modules.host}/acme/net/aws@~> 3.0`,
      "--to",
      `${registry.host}/x/y`,
      ...flags,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("no version of");
    expect(result.stderr).toContain("The registry has 1.0.0, 1.1.0, 2.0.0-beta1");
  });
});
