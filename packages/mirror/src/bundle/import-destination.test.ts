import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import type { BundleArtifact } from "./bundle-contents.js";
import { parseImportTo, planImport } from "./import-destination.js";

const artifact = (n: number, fullName?: string, tag?: string): BundleArtifact => ({
  descriptor: {
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: `sha256:${String(n).repeat(64)}`,
    size: 10,
  },
  ...(fullName ? { fullName } : {}),
  ...(tag ? { tag } : {}),
});

function code(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    return exitCodeOf(error);
  }
  return undefined;
}

describe("import destinations", () => {
  it("maps each artifact through a template with ${registry}, ${repository} and ${name}", () => {
    const to = parseImportTo("mirror.internal/${registry}/${repository}/${name}");
    const [plan] = planImport(to, [artifact(1, "registry.example.com/providers/acme/thing:1.2.0", "1.2.0")], "b.tar");
    expect(plan).toMatchObject({
      destination: { registry: "mirror.internal", repository: "registry.example.com/providers/acme/thing/thing" },
      tag: "1.2.0",
      from: "registry.example.com/providers/acme/thing:1.2.0",
    });
  });

  it("sends everything to one repository, keeping tags, or tags a single artifact with REF's tag", () => {
    const many = planImport(
      parseImportTo("mirror.internal/all"),
      [artifact(1, undefined, "1.0.0"), artifact(2, undefined, "2.0.0")],
      "b.tar",
    );
    expect(many.map((p) => [p.destination.repository, p.tag])).toEqual([
      ["all", "1.0.0"],
      ["all", "2.0.0"],
    ]);
    const [one] = planImport(parseImportTo("mirror.internal/all:stable"), [artifact(1, undefined, "1.0.0")], "b.tar");
    expect(one!.tag).toBe("stable");
  });

  it("refuses what cannot work (exit 2)", () => {
    expect(code(() => parseImportTo("mirror.internal/${namespace}"))).toBe(2);
    expect(code(() => parseImportTo(`mirror.internal/a@sha256:${"0".repeat(64)}`))).toBe(2);
    expect(code(() => planImport(parseImportTo("m.internal/${repository}"), [artifact(1)], "b.tar"))).toBe(2);
    expect(code(() => planImport(parseImportTo("m.internal/a:x"), [artifact(1), artifact(2)], "b.tar"))).toBe(2);
    expect(
      code(() =>
        planImport(
          parseImportTo("m.internal/a"),
          [artifact(1, undefined, "1.0"), artifact(2, undefined, "1.0")],
          "b.tar",
        ),
      ),
    ).toBe(2);
  });
});
