import { MemoryTarget } from "@tofu-oci/core/memory";
import { describe, expect, it } from "vitest";
import { ArtifactWriter } from "../test/artifacts.js";
import { buildZip } from "../test/zip-builder.js";
import { verify } from "./verify.js";

describe("verify() on an in-memory target", () => {
  it("detects the type and checks a module and a provider", async () => {
    const target = new MemoryTarget("mem");
    const writer = new ArtifactWriter(target);
    await writer.module({ tag: "1.0.0", layers: [{ bytes: buildZip([{ name: "main.tf", content: "" }]) }] });
    await writer.provider({ tag: "2.0.0", platforms: [{ os: "linux", arch: "amd64", zip: buildZip([{ name: "terraform-provider-x", content: "", mode: 0o755 }]) }] });
    const [module] = await verify({ reference: "example.com/acme/x:1.0.0", target });
    expect(module).toMatchObject({ kind: "verification", ok: true, type: "module", reference: "example.com/acme/x:1.0.0" });
    const [provider] = await verify({ reference: "example.com/acme/x:2.0.0", target });
    expect(provider).toMatchObject({ ok: true, type: "provider", version: "2.0.0", platforms: [{ platform: "linux_amd64", executable: "terraform-provider-x" }] });
  });

  it("reads tofu-oci-push records from stdin, one record per input", async () => {
    const target = new MemoryTarget("mem");
    await new ArtifactWriter(target).module({ tag: "1", layers: [{ bytes: buildZip([{ name: "main.tf", content: "" }]) }] });
    const records = [
      { kind: "artifact", type: "module", reference: "example.com/a/b:1", registry: "example.com", repository: "a/b", tag: "1", source: "oci://example.com/a/b?tag=1" },
      { kind: "artifact", type: "module", reference: "example.com/a/b:2", registry: "example.com", repository: "a/b", tag: "2", source: "oci://example.com/a/b?tag=2" },
    ];
    const { Readable } = await import("node:stream");
    const results = await verify({ target }, { stdin: Readable.from([records.map((r) => JSON.stringify(r)).join("\n")]) });
    expect(results.map((r) => r.ok)).toEqual([true, false]);
  });
});
