import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseLockFile } from "@tofu-oci/opentofu";
import {
  PERSONALITIES,
  tempDir,
  uniqueRepository,
  type PersonalityName,
  type RunningPersonality,
} from "@tofu-oci/testkit";
import { verify } from "@tofu-oci/verify";
import { afterAll, describe, expect, inject, it } from "vitest";
import { lock, outdated, update } from "../src/index.js";
import { cliConfig, configuration, personalityBed, pushModule, pushProvider, startPersonality } from "./bed.js";

// deps lock and update through registry personalities (docs/contract/registry-quirks.md) in front
// of the real registry: GAR's oauth2accesstoken bearer tokens, ECR's basic challenge, Quay's
// opaque tag pages, ACR's refresh-token exchange. The hashes are verify's, from the zips.

const registries = inject("registries");
const scratch = tempDir("tofu-oci-deps-personalities-");
const fronts: RunningPersonality[] = [];
afterAll(async () => {
  await Promise.all(fronts.map((front) => front.stop()));
  scratch.cleanup();
});

const SPECS = ["gar", "ecr", "quay@opentofu-types-allowed", "acr"];
const PLATFORMS = ["linux_amd64", "darwin_arm64"];

describe.concurrent("deps through registry personalities", () => {
  it.each(SPECS)("%s: lock every platform, and update a module pin", async (spec) => {
    const [name, variant] = spec.split("@") as [PersonalityName, string | undefined];
    const front = await startPersonality(name, {
      registry: registries[PERSONALITIES[name].defaultMode],
      ...(variant ? { variant } : {}),
    });
    fronts.push(front);
    const bed = personalityBed(front, scratch.path);
    const prefix = uniqueRepository(`deps/${name}`);
    const address = "registry.example.com/acme/thing";
    await pushProvider(bed, `${prefix}/acme/thing`, { address, version: "1.0.0", platforms: PLATFORMS });
    await pushModule(bed, `${prefix}/net`, "1.0.0");
    const newest = await pushModule(bed, `${prefix}/net`, "1.1.0");

    const env = cliConfig(bed, `${front.host}/${prefix}/\${namespace}/\${type}`, ["registry.example.com/acme/*"]);
    const source = `oci://${front.host}/${prefix}/net`;
    const dir = configuration(bed, {
      "main.tf": `terraform {\n  required_providers {\n    thing = { source = "${address}" }\n  }\n}\n\nmodule "net" {\n  source = "${source}?tag=1.0.0" # tofu-oci: ~> 1.0\n}\n`,
    });
    const result = await lock({ clientOptions: bed.clientOptions }, { cwd: dir, env });
    expect(result.failed).toEqual([]);
    const entry = (await parseLockFile(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8"))).providers.get(address)!;
    const [verdict] = await verify({
      reference: `${front.host}/${prefix}/acme/thing:1.0.0`,
      clientOptions: bed.clientOptions,
    });
    const fromZips = (verdict!.platforms as Array<{ zh: string; h1: string }>).flatMap((p) => [p.zh, p.h1]).sort();
    expect(fromZips).toHaveLength(4);
    expect(entry.hashes).toEqual(fromZips);

    const [before] = await outdated({ clientOptions: bed.clientOptions }, { cwd: dir });
    expect(before).toMatchObject({ current: "1.0.0", wanted: "1.1.0", outdated: true });
    const [pinned] = await update({ clientOptions: bed.clientOptions }, { cwd: dir });
    expect(pinned).toMatchObject({ action: "updated", tag: "1.1.0", digest: newest });
    expect(readFileSync(join(dir, "main.tf"), "utf8")).toContain(
      `"${source}?digest=${newest}" # tofu-oci: ~> 1.0; tag=1.1.0`,
    );
  });
});
