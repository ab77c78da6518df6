import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseRecords, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { authBin, userEnv } from "./support.js";

interface Case {
  name: string;
  files?: Record<string, string>;
  args: string[];
  code: number;
  message: string;
  stdin?: string;
}

const CASES: Case[] = [
  {
    name: "bad HCL in ~/.tofurc",
    files: { ".tofurc": 'oci_credentials "a.io" {\n  username = "u"\n' },
    args: ["resolve", "a.io/x"],
    code: 6,
    message: "error: There are some problems with the CLI configuration: Error parsing",
  },
  {
    name: "an invalid oci_credentials block",
    files: { ".tofurc": 'oci_credentials "a.io/x:tag" { docker_credentials_helper = "h" }' },
    args: ["resolve", "a.io/x"],
    code: 6,
    message: "has an invalid block label: invalid reference: artifact tag or digest not allowed",
  },
  {
    name: "duplicate blocks across files",
    files: {
      ".tofurc": 'oci_credentials "a.io" { docker_credentials_helper = "h" }',
      ".terraform.d/b.tfrc": 'oci_credentials "a.io" { docker_credentials_helper = "h" }',
    },
    args: ["resolve", "a.io/x"],
    code: 6,
    message: 'Duplicate oci_credentials block for "a.io"',
  },
  {
    name: "bad JSON in a listed docker-style file",
    files: {
      ".tofurc": 'oci_default_credentials { docker_style_config_files = ["auth.json"] }',
      "auth.json": '{"auths": {"a.io": {"auth": "not base64!"}}}',
    },
    args: ["resolve", "a.io/x"],
    code: 6,
    message: "invalid JSON syntax: illegal base64 data",
  },
  {
    name: "a missing listed docker-style file",
    files: { ".tofurc": 'oci_default_credentials { docker_style_config_files = ["nope.json"] }' },
    args: ["resolve", "a.io/x"],
    code: 6,
    message: "no such file or directory",
  },
  {
    name: "bad JSON in --registry-config for login",
    files: { "c.json": "{" },
    args: ["login", "a.io", "-u", "u", "--password-stdin", "--registry-config", "c.json"],
    stdin: "pw",
    code: 6,
    message: "is not a valid docker-style config file",
  },
  {
    name: "a broken auths entry next to a winner",
    files: {
      ".docker/config.json": `{"auths": {"a.io": {"auth": "${Buffer.from("nocolon").toString("base64")}"}, "a.io/x": {"auth": "dTpw"}}}`,
    },
    args: ["resolve", "a.io/x"],
    code: 6,
    message: 'finding credentials for "a.io"',
  },
  {
    name: "an uppercase repository",
    args: ["resolve", "oci://a.io/Modules/x"],
    code: 2,
    message: 'invalid repository "Modules/x"',
  },
  { name: "a tag with a plus", args: ["resolve", "a.io/p:1.0.0+x"], code: 2, message: 'invalid tag "1.0.0+x"' },
  {
    name: "a bad oci:// argument",
    args: ["resolve", "oci://a.io/x?ref=1"],
    code: 2,
    message: 'unsupported argument "ref"',
  },
  { name: "a host with a space", args: ["resolve", "a b"], code: 2, message: 'invalid registry "a b"' },
  {
    name: "a login host with a scheme",
    args: ["login", "https://a.io", "-u", "u", "--password-stdin"],
    stdin: "pw",
    code: 2,
    message: "give the host without a scheme",
  },
  {
    name: "a login without a username",
    args: ["login", "a.io", "--password-stdin"],
    stdin: "pw",
    code: 2,
    message: "login needs a username",
  },
  {
    name: "a token without a repository",
    args: ["token", "a.io"],
    code: 2,
    message: "needs a registry host and a repository",
  },
  { name: "an unknown flag", args: ["resolve", "a.io/x", "--bogus"], code: 2, message: "unknown option --bogus" },
  {
    name: "a missing credential helper",
    files: { ".docker/config.json": '{"credsStore": "nosuch"}' },
    args: ["resolve", "a.io/x"],
    code: 4,
    message: 'exec: "docker-credential-nosuch": executable file not found in $PATH',
  },
  {
    name: "an unreachable registry",
    args: ["login", "127.0.0.1:9", "-u", "u", "--password-stdin", "--plain-http"],
    stdin: "pw",
    code: 5,
    message: "error:",
  },
];

describe("malformed input: exit code and a one-line message, no stack trace", () => {
  const dir = tempDir("tofu-oci-auth-malformed-");
  afterAll(() => dir.cleanup());

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))("%s", async (name, testCase) => {
    const home = join(dir.path, name.replace(/\W+/g, "-"));
    mkdirSync(home, { recursive: true });
    for (const [path, text] of Object.entries(testCase.files ?? {})) {
      mkdirSync(dirname(join(home, path)), { recursive: true });
      writeFileSync(join(home, path), text);
    }
    const result = await authBin([...testCase.args, "--format", "json"], userEnv(home), testCase.stdin);
    expect(result.code, result.stderr).toBe(testCase.code);
    const lines = result.stderr
      .trimEnd()
      .split("\n")
      .filter((line) => !line.startsWith("warning:"));
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toContain(testCase.message);
    expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(parseRecords(result.stdout)).toEqual([expect.objectContaining({ kind: "error" })]);
  });

  it("does not fail on a malformed ambient file: OpenTofu ignores all of them and says nothing", async () => {
    const home = join(dir.path, "ambient");
    mkdirSync(join(home, ".docker"), { recursive: true });
    writeFileSync(join(home, ".docker/config.json"), "{ not json");
    const result = await authBin(["resolve", "a.io/x"], userEnv(home));
    expect(result.code).toBe(0);
    expect(parseRecords(result.stdout)[0]).toMatchObject({
      anonymous: true,
      warnings: [expect.stringContaining("disables them all")],
    });
    expect(result.stderr).toContain("warning: OpenTofu ignores every docker-style credentials file");
  });
});
