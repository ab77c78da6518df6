import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRecords, runBin, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { outdated, pin, update, type ModulePinRecord, type ModuleSourceRecord } from "../src/index.js";
import { configuration, pushModule, type Bed } from "./bed.js";

// outdated, pin and update against the real registry, on files with comments, heredocs, strings
// that look like module blocks, a one-line block and CRLF line ends: every byte but the source
// string and the comment after it stays.

const registry = inject("registries").plain;
const scratch = tempDir("tofu-oci-deps-modules-");
const bed: Bed = { host: registry.host, clientOptions: { plainHttp: true }, dir: scratch.path };
const prefix = uniqueRepository("deps/modules");
const oci = (repository: string, query: string) => `oci://${registry.host}/${prefix}/${repository}${query}`;
afterAll(() => scratch.cleanup());

const digests: Record<string, string> = {};

beforeAll(async () => {
  for (const tag of ["1.0.0", "1.1.0", "1.2.0-rc1", "2.0.0"])
    digests[`net:${tag}`] = await pushModule(bed, `${prefix}/net`, tag);
  for (const tag of ["v0.1.0", "v0.2.0", "main"]) digests[`dns:${tag}`] = await pushModule(bed, `${prefix}/dns`, tag);
  digests["moving:before"] = await pushModule(bed, `${prefix}/moving`, "1.0.0");
  // The tag moves after the digest was pinned: same tag, other content.
  digests["moving:1.0.0"] = await pushModule(bed, `${prefix}/moving`, "1.0.0", { "extra.tf": "# changed\n" });
}, 120_000);

function mainTf(): string {
  return `# Network modules.
module "net" {
  source = "${oci("net", "?tag=1.0.0")}" # tofu-oci: ~> 1.0
}

module "net2" {
  source  = "${oci("net", "?tag=2.0.0")}"
  version = null
}

locals {
  readme = <<EOT
module "fake" {
  source = "${oci("net", "?tag=1.0.0")}"
}
EOT
  # module "commented" { source = "${oci("net", "?tag=1.0.0")}" }
}

module "dns" { source = "${oci("dns", "?tag=v0.1.0")}" }

module "missing_subdir" {
  source = "${oci("net", "//nope?tag=1.0.0")}" // the subdirectory does not exist
}

module "local" {
  source = "./local"
}
`;
}

function appTf(): string {
  return [
    `module "app" {`,
    `  source = "${oci("moving", `?digest=${digests["moving:before"]}`)}" # tofu-oci: tag=1.0.0`,
    "}",
    "",
  ].join("\r\n");
}

function files(): Record<string, string> {
  return { "main.tf": mainTf(), "modules/app/app.tf": appTf(), "local/main.tf": 'output "x" {\n  value = 1\n}\n' };
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), "utf8");
}

describe("deps outdated", () => {
  it("lists every oci:// source with what it pins, the newest allowed and newest version, and moved tags", async () => {
    const dir = configuration(bed, files());
    const records = await outdated({ clientOptions: bed.clientOptions }, { cwd: dir });
    const byModule = Object.fromEntries(records.map((r) => [r.module, r])) as Record<string, ModuleSourceRecord>;
    expect(Object.keys(byModule).sort()).toEqual(["app", "dns", "missing_subdir", "net", "net2"]);
    expect(byModule.net).toMatchObject({
      file: "main.tf",
      line: 3,
      current: "1.0.0",
      constraint: "~> 1.0",
      wanted: "1.1.0",
      latest: "2.0.0",
      outdated: true,
    });
    expect(byModule.net2).toMatchObject({ current: "2.0.0", wanted: "2.0.0", latest: "2.0.0", outdated: false });
    expect(byModule.dns).toMatchObject({ current: "v0.1.0", wanted: "v0.2.0", outdated: true });
    expect(byModule.app).toMatchObject({
      file: "modules/app/app.tf",
      line: 2,
      current: "1.0.0",
      digest: digests["moving:before"],
      tagMoved: true,
      outdated: false,
    });
  });

  it("takes --constraint for sources without their own", async () => {
    const dir = configuration(bed, files());
    const records = await outdated({ clientOptions: bed.clientOptions, constraint: "~> 2.0" }, { cwd: dir });
    expect(records.find((r) => r.module === "net")).toMatchObject({ constraint: "~> 1.0", wanted: "1.1.0" });
    expect(records.find((r) => r.module === "missing_subdir")).toMatchObject({ constraint: "~> 2.0", wanted: "2.0.0" });
  });

  it("exits 1 with --exit-code when something is outdated, from the bin", async () => {
    const dir = configuration(bed, files());
    const result = await runBin("deps", ["outdated", "--plain-http", "--exit-code", "--format", "json"], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    expect(
      parseRecords(result.stdout)
        .filter((r) => r.outdated === true)
        .map((r) => r.module)
        .sort(),
    ).toEqual(["dns", "missing_subdir", "net"]);
  });
});

describe("deps pin", () => {
  it("pins each tag to its digest, keeps the tag in a comment, refuses what would not install, and changes nothing else", async () => {
    const dir = configuration(bed, files());
    const records = await pin({ clientOptions: bed.clientOptions }, { cwd: dir });
    const actions = Object.fromEntries(records.map((r) => [r.module, r.action]));
    expect(actions).toEqual({
      net: "pinned",
      net2: "pinned",
      dns: "pinned",
      missing_subdir: "refused",
      app: "unchanged",
    });
    const refused = records.find((r) => r.module === "missing_subdir") as ModulePinRecord;
    expect(refused.checks).toEqual([expect.objectContaining({ id: "subdir", ok: false })]);
    const expected = mainTf()
      .replace(
        `"${oci("net", "?tag=1.0.0")}" # tofu-oci: ~> 1.0`,
        `"${oci("net", `?digest=${digests["net:1.0.0"]}`)}" # tofu-oci: ~> 1.0; tag=1.0.0`,
      )
      .replace(
        `"${oci("net", "?tag=2.0.0")}"\n`,
        `"${oci("net", `?digest=${digests["net:2.0.0"]}`)}" # tofu-oci: tag=2.0.0\n`,
      )
      .replace(
        `{ source = "${oci("dns", "?tag=v0.1.0")}" }`,
        `{ source = "${oci("dns", `?digest=${digests["dns:v0.1.0"]}`)}" /* tofu-oci: tag=v0.1.0 */ }`,
      );
    expect(read(dir, "main.tf")).toBe(expected);
    expect(read(dir, "modules/app/app.tf")).toBe(appTf());
    // Pinning again changes nothing.
    const again = await pin({ clientOptions: bed.clientOptions }, { cwd: dir });
    expect(again.filter((r) => r.action !== "unchanged").map((r) => r.module)).toEqual(["missing_subdir"]);
    expect(read(dir, "main.tf")).toBe(expected);
  });
});

describe("deps update", () => {
  it("moves each source to the newest allowed version, pinned, CRLF and all", async () => {
    const dir = configuration(bed, files());
    const dry = await update({ clientOptions: bed.clientOptions, dryRun: true }, { cwd: dir });
    expect(
      dry
        .filter((r) => r.action === "updated")
        .map((r) => r.module)
        .sort(),
    ).toEqual(["app", "dns", "net", "net2"]);
    expect(read(dir, "main.tf")).toBe(mainTf());
    const records = await update({ clientOptions: bed.clientOptions }, { cwd: dir });
    expect(records.find((r) => r.module === "missing_subdir")).toMatchObject({ action: "refused", tag: "2.0.0" });
    expect(read(dir, "main.tf")).toBe(
      mainTf()
        .replace(
          `"${oci("net", "?tag=1.0.0")}" # tofu-oci: ~> 1.0`,
          `"${oci("net", `?digest=${digests["net:1.1.0"]}`)}" # tofu-oci: ~> 1.0; tag=1.1.0`,
        )
        .replace(
          `"${oci("net", "?tag=2.0.0")}"\n`,
          `"${oci("net", `?digest=${digests["net:2.0.0"]}`)}" # tofu-oci: tag=2.0.0\n`,
        )
        .replace(
          `{ source = "${oci("dns", "?tag=v0.1.0")}" }`,
          `{ source = "${oci("dns", `?digest=${digests["dns:v0.2.0"]}`)}" /* tofu-oci: tag=v0.2.0 */ }`,
        ),
    );
    // The moved tag: re-pinned to what 1.0.0 names now, the line end still CRLF.
    expect(read(dir, "modules/app/app.tf")).toBe(appTf().replace(digests["moving:before"]!, digests["moving:1.0.0"]!));
  });
});
