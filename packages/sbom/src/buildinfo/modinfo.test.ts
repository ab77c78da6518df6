import { describe, expect, it } from "vitest";
import { purlOf, h1ToSha256 } from "../cyclonedx.js";
import { parseModInfo, unquote } from "./modinfo.js";

const TEXT = [
  "path\texample.com/hello",
  "mod\texample.com/hello\t(devel)\t",
  "dep\texample.com/greet\tv1.2.3\th1:Wy3cyKr3Vx5W8aLDDSAhlIDNrDfCfh0a6vWzJZp8qCk=",
  "dep\tgithub.com/Old/thing\tv0.1.0",
  "=>\t./local\t\t",
  "build\t-compiler=gc",
  'build\t-ldflags="-s -w"',
  "build\tCGO_ENABLED=0",
  "build\tGOOS=linux",
  "",
].join("\n");

describe("Go module info (runtime/debug.ParseBuildInfo)", () => {
  it("reads path, main module, dependencies, replacements and quoted settings", () => {
    const info = parseModInfo(TEXT);
    expect(info.path).toBe("example.com/hello");
    expect(info.main).toEqual({ path: "example.com/hello", version: "(devel)", sum: "" });
    expect(info.deps).toEqual([
      { path: "example.com/greet", version: "v1.2.3", sum: "h1:Wy3cyKr3Vx5W8aLDDSAhlIDNrDfCfh0a6vWzJZp8qCk=" },
      { path: "github.com/Old/thing", version: "v0.1.0", sum: "", replace: { path: "./local", version: "", sum: "" } },
    ]);
    expect(info.settings).toEqual([
      { key: "-compiler", value: "gc" },
      { key: "-ldflags", value: "-s -w" },
      { key: "CGO_ENABLED", value: "0" },
      { key: "GOOS", value: "linux" },
    ]);
  });

  it("refuses malformed lines like Go does", () => {
    expect(() => parseModInfo("dep\ta\n")).toThrow(/line 1: expected 2 or 3 columns/);
    expect(() => parseModInfo("=>\ta\tb\tc\n")).toThrow(/replacement with no module/);
    expect(() => parseModInfo("build\tno equals\n")).toThrow(/missing '='/);
  });

  it("unquotes Go strings", () => {
    expect(unquote('"a\\tb\\x41\\u00e9\\101"')).toBe("a\tbAéA");
    expect(unquote("`raw\\n`")).toBe("raw\\n");
    expect(unquote('"open')).toBeUndefined();
  });

  it("writes Go module purls and turns go.sum h1: into SHA-256 hex", () => {
    expect(purlOf({ path: "github.com/Azure/go-autorest", version: "v14.2.0+incompatible" })).toBe(
      "pkg:golang/github.com/azure/go-autorest@v14.2.0%2Bincompatible",
    );
    expect(h1ToSha256("h1:Wy3cyKr3Vx5W8aLDDSAhlIDNrDfCfh0a6vWzJZp8qCk=")).toMatch(/^[0-9a-f]{64}$/);
    expect(h1ToSha256("")).toBeUndefined();
  });
});
