import { describe, expect, it } from "vitest";
import type { GoDescriptor } from "./go-json/decode.js";
import { segmentMatcher } from "./go-glob.js";
import { selectModuleLayer, selectPlatformManifest } from "./layer-select.js";
import { manifestTooLarge } from "./manifests.js";
import { configFiles, findModuleDir } from "./module-files.js";
import { judgeVersionTag, normalizeVersion } from "./version.js";
import { planUnpack } from "./unpack-plan.js";
import { reviewNames } from "./zip-inspect.js";

describe("manifest size (fetchOCIManifestBlob: size / 1024 / 1024 > 4 in integers)", () => {
  it("accepts up to 5 MiB - 1 byte", () => {
    expect(manifestTooLarge(4 * 1024 * 1024 + 1)).toBe(false);
    expect(manifestTooLarge(5 * 1024 * 1024 - 1)).toBe(false);
    expect(manifestTooLarge(5 * 1024 * 1024)).toBe(true);
  });
});

describe("provider version tags (AvailableVersions + fetchOCIDescriptorForVersion)", () => {
  it.each([
    ["1.2.3", "1.2.3"],
    ["1.2.3-beta.1", "1.2.3-beta.1"],
    ["1.2.3_build.5", "1.2.3+build.5"],
    ["1.2.3-rc1_x", "1.2.3-rc1+x"],
  ])("%s is version %s", (tag, version) => expect(judgeVersionTag(tag)).toEqual({ ok: true, version }));
  it.each(["latest", "v1.2.3", "1.2.3.4", "1.2.3_a_b"])("%s is not a version", (tag) =>
    expect(judgeVersionTag(tag).ok).toBe(false),
  );
  it.each([
    ["1.2", "1.2.0"],
    ["01.2.3", "1.2.3"],
  ])("%s is looked up as %s", (tag, version) => expect(judgeVersionTag(tag)).toMatchObject({ ok: false, version }));
  it("normalizes as go-versions does", () => expect(normalizeVersion("1")).toBe("1.0.0"));
});

describe("layer and platform selection", () => {
  const descriptor = (fields: Partial<GoDescriptor>): GoDescriptor => ({
    mediaType: "",
    digest: "",
    size: 1n,
    urls: null,
    annotations: null,
    data: null,
    platform: null,
    artifactType: "",
    ...fields,
  });
  const platform = (os: string, architecture: string, osVersion = "") => ({
    os,
    architecture,
    osVersion,
    osFeatures: null,
    variant: "",
  });
  const zip = descriptor({ mediaType: "archive/zip", digest: "sha256:a" });
  it("ignores layers of other types for modules", () => {
    expect(selectModuleLayer([{ ...zip, mediaType: "text/plain" }, zip])).toMatchObject({ ok: true });
    expect(selectModuleLayer([{ ...zip, mediaType: "application/zip" }])).toMatchObject({ ok: false });
  });
  const entry = (os: string, arch: string, extra: Partial<GoDescriptor> = {}) =>
    descriptor({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: `sha256:${os}`,
      artifactType: "application/vnd.opentofu.provider-target",
      platform: platform(os, arch),
      ...extra,
    });
  it("lets one bad provider-target entry break every platform", () => {
    const broken = entry("windows", "amd64", { mediaType: "application/vnd.docker.distribution.manifest.v2+json" });
    expect(selectPlatformManifest([entry("linux", "amd64"), broken], "linux", "amd64")).toMatchObject({ ok: false });
  });
  it("skips entries with os.version and refuses duplicates", () => {
    expect(
      selectPlatformManifest(
        [entry("linux", "amd64", { platform: platform("linux", "amd64", "5") })],
        "linux",
        "amd64",
      ),
    ).toMatchObject({ ok: false });
    expect(selectPlatformManifest([entry("linux", "amd64"), entry("linux", "amd64")], "linux", "amd64").ok).toBe(false);
  });
});

describe("go-getter's unzip", () => {
  it("refuses .. split on / and \\, accepts absolute names with a warning", () => {
    expect(reviewNames([{ name: "a/../b" }]).problem).toBeDefined();
    expect(reviewNames([{ name: "a\\..\\b" }]).problem).toBeDefined();
    expect(reviewNames([{ name: "..foo/bar" }]).problem).toBeUndefined();
    const review = reviewNames([{ name: "/etc/x.tf" }, { name: "a\\b.tf" }]);
    expect(review.problem).toBeUndefined();
    expect(review.warnings).toHaveLength(2);
  });
  it("finds file/directory conflicts and lets later files replace earlier ones", () => {
    expect(
      planUnpack([
        { name: "a", isDirectory: false },
        { name: "a/b", isDirectory: false },
      ]),
    ).toHaveProperty("problem");
    expect(
      planUnpack([
        { name: "a/", isDirectory: true },
        { name: "a", isDirectory: false },
      ]),
    ).toHaveProperty("problem");
    expect(planUnpack([{ name: ".", isDirectory: false }])).toHaveProperty("problem");
    const plan = planUnpack([
      { name: "x", isDirectory: false },
      { name: "/x", isDirectory: false },
    ]);
    expect("files" in plan && plan.files.get("x")).toBe(1);
  });
});

describe("module directory and configuration files", () => {
  const plan = planUnpack(
    ["main.tf", "mods/a/main.tofu", "mods/b/.hidden.tf", "mods/b/x.tftest.hcl", "mods/b/y.tf~", "README.md"].map(
      (name) => ({ name, isDirectory: false }),
    ),
  );
  if ("problem" in plan) throw new Error(plan.problem);
  it("expands //subdir as a Go glob with exactly one match", () => {
    expect(findModuleDir(plan, "mods/a")).toEqual({ ok: true, dir: "mods/a" });
    expect(findModuleDir(plan, "mods/[a]")).toEqual({ ok: true, dir: "mods/a" });
    expect(findModuleDir(plan, "mods/*")).toMatchObject({ ok: false });
    expect(findModuleDir(plan, "README.md")).toMatchObject({ ok: false });
  });
  it("counts only files OpenTofu loads", () => {
    expect(configFiles(plan, "")).toEqual(["main.tf"]);
    expect(configFiles(plan, "mods/b")).toEqual([]);
  });
  it("matches like filepath.Match", () => {
    expect(segmentMatcher("a?c")!("abc")).toBe(true);
    expect(segmentMatcher("[^x]*")!("yes")).toBe(true);
    expect(segmentMatcher("[abc")).toBeUndefined();
  });
});
