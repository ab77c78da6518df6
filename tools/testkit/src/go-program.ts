import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCommands } from "./system-deps.js";
import { zipSync } from "fflate";

/** The dependency module the test program uses, served by a local file GOPROXY (no network). */
export const GREET = { path: "example.com/greet", version: "v1.2.3" };
export const MAIN_MODULE = "example.com/terraform-provider-hello";

/** A tiny Go program with one real module dependency, cross-compiled per GOOS_GOARCH. */
export interface GoProgram {
  build(platform: string): Buffer;
  /** `go version -m` of a built executable: the reference the parser is checked against. */
  versionM(platform: string): string;
  /** The h1: of the dependency as go.sum records it. */
  greetSum: string;
}

/**
 * Writes the program and a file-based module proxy holding example.com/greet v1.2.3 under
 * `dir`, resolves the dependency (so go.sum has its real h1: checksum) and returns a builder.
 * Installs Debian's golang-go first when it is missing (as root).
 */
export function goProgram(dir: string): GoProgram {
  ensureCommands({ go: "golang-go" });
  const proxy = join(dir, "proxy", GREET.path, "@v");
  mkdirSync(proxy, { recursive: true });
  const goMod = `module ${GREET.path}\n\ngo 1.19\n`;
  const greetGo = 'package greet\n\n// Hello greets.\nfunc Hello(name string) string { return "hello " + name }\n';
  const prefix = `${GREET.path}@${GREET.version}/`;
  writeFileSync(
    join(proxy, `${GREET.version}.zip`),
    zipSync({ [`${prefix}go.mod`]: Buffer.from(goMod), [`${prefix}greet.go`]: Buffer.from(greetGo) }),
  );
  writeFileSync(join(proxy, `${GREET.version}.mod`), goMod);
  writeFileSync(
    join(proxy, `${GREET.version}.info`),
    JSON.stringify({ Version: GREET.version, Time: "2024-01-01T00:00:00Z" }),
  );
  writeFileSync(join(proxy, "list"), `${GREET.version}\n`);
  const src = join(dir, "src");
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, "go.mod"), `module ${MAIN_MODULE}\n\ngo 1.19\n\nrequire ${GREET.path} ${GREET.version}\n`);
  writeFileSync(
    join(src, "main.go"),
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greet"\n)\n\nfunc main() { fmt.Println(greet.Hello("tofu")) }\n',
  );
  const env = {
    ...process.env,
    GOPROXY: `file://${join(dir, "proxy")}`,
    GOSUMDB: "off",
    GOFLAGS: "-mod=mod",
    GOPATH: join(dir, "gopath"),
    // Shared between runs: cross-compiling the standard library takes seconds per platform.
    GOCACHE: join(tmpdir(), "tofu-oci-test-gocache"),
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
    HOME: dir,
  };
  const go = (args: string[], extra: Record<string, string> = {}) =>
    execFileSync("go", args, {
      cwd: src,
      env: { ...env, ...extra },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  go(["mod", "tidy"]);
  const { Sum: greetSum } = JSON.parse(go(["mod", "download", "-json", GREET.path])) as { Sum: string };
  const built = new Map<string, string>();
  const output = (platform: string) => {
    let file = built.get(platform);
    if (!file) {
      const [goos, goarch] = platform.split("_");
      file = join(dir, `hello-${platform}`);
      go(["build", "-o", file, "."], { GOOS: goos!, GOARCH: goarch! });
      built.set(platform, file);
    }
    return file;
  };
  return {
    build: (platform) => readFileSync(output(platform)),
    versionM: (platform) => go(["version", "-m", output(platform)]),
    greetSum,
  };
}
