import { describe, expect, it } from "vitest";
import { DEFAULT_EXCLUDES, IgnoreRules } from "./ignore-rules.js";

// The behaviour of hashicorp/go-slug's .terraformignore matcher, which Terraform and OpenTofu
// remote runs use; the cases follow its own test file (internal/ignorefiles).
const GO_SLUG_STYLE = [
  "# comments are ignored",
  " # extra spaces are irrelevant",
  "   baz.txt",
  "",
  "terraform.d/",
  "!/terraform.d/",
  "**/foo/bar.tf",
  "foo/*.md",
  "bar/something-[a-z].txt",
  "boop.txt",
  "!/boop.txt",
].join("\n");

describe("IgnoreRules (go-slug semantics)", () => {
  const rules = new IgnoreRules().add([".git/", ".terraform/", "!.terraform/modules/"]).add(GO_SLUG_STYLE);

  it.each([
    [".terraform/", true],
    [".terraform/foo/bar", true],
    [".terraform/foo/bar/more/directories/so/many", true],
    [".terraform/modules/x/main.tf", false],
    ["included.txt", false],
    ["baz.txt", true],
    ["parent/foo/baz.txt", true],
    ["parent/foo/bar.tf", true],
    ["parent/bar/bar.tf", false],
    ["something/with-baz.txt", false],
    ["something/baz.x", false],
    ["foo/ignored-doc.md", true],
    ["deep/foo/ignored-doc.md", true],
    ["foo/sub/doc.md", false],
    ["bar/something-a.txt", true],
    ["bar/something-A.txt", false],
    ["some-module/terraform.d/x", true],
    ["terraform.d/", false],
    ["terraform.d/foo", false],
    ["terraform.d", false],
    ["baz/boop.txt", true],
    ["boop.txt", false],
  ])("%s excluded: %s", (path, excluded) => {
    expect(rules.match(path).excluded).toBe(excluded);
  });

  it("reports a directory exclusion as dominating only when no negation follows", () => {
    const plain = new IgnoreRules().add(["logs/", "tmp/"]);
    expect(plain.match("logs/")).toEqual({ excluded: true, dominating: true });
    const negated = new IgnoreRules().add(["logs/", "!logs/keep.txt"]);
    expect(negated.match("logs/")).toEqual({ excluded: true, dominating: false });
    expect(negated.match("logs/keep.txt").excluded).toBe(false);
    expect(negated.match("logs/other.txt").excluded).toBe(true);
  });

  it("re-includes a directory tree below a catch-all, as go-slug's dir-negation fixture", () => {
    const only = new IgnoreRules().add(["*", "!/infra/", "!/infra/tf/", "!/infra/tf/**"]);
    expect(only.match("noise.txt").excluded).toBe(true);
    expect(only.match("infra/").excluded).toBe(false);
    expect(only.match("infra/tf/main.tf").excluded).toBe(false);
    expect(only.match("other/main.tf").excluded).toBe(true);
  });

  it("anchors with a leading slash, crosses directories only with **, escapes with a backslash", () => {
    const anchored = new IgnoreRules().add([
      "/top.tf",
      "a/**/z.tf",
      "\\#literal",
      "q?.tf",
      "[!a-c].md",
      "weird(1)+.tf",
    ]);
    expect(anchored.match("top.tf").excluded).toBe(true);
    expect(anchored.match("sub/top.tf").excluded).toBe(false);
    expect(anchored.match("a/z.tf").excluded).toBe(true);
    expect(anchored.match("a/b/c/z.tf").excluded).toBe(true);
    expect(anchored.match("#literal").excluded).toBe(true);
    expect(anchored.match("q1.tf").excluded).toBe(true);
    expect(anchored.match("q/.tf").excluded).toBe(false);
    expect(anchored.match("d.md").excluded).toBe(true);
    expect(anchored.match("a.md").excluded).toBe(false);
    expect(anchored.match("weird(1)+.tf").excluded).toBe(true);
    expect(anchored.match("weird11.tf").excluded).toBe(false);
  });

  it("a name without a trailing slash matches the directory entry, not what is inside (as in remote runs)", () => {
    const byName = new IgnoreRules().add(["docs"]);
    expect(byName.match("docs").excluded).toBe(true);
    expect(byName.match("docs/").excluded).toBe(false);
    expect(byName.match("docs/a.md").excluded).toBe(false);
  });

  it("has the default excludes of issue 4", () => {
    const defaults = new IgnoreRules().add(DEFAULT_EXCLUDES);
    for (const path of [
      ".git/",
      "sub/.git/config",
      ".terraform/providers/x",
      "terraform.tfstate",
      "a/b.tfstate.backup",
      ".terraform.tfstate.lock.info",
      "crash.log",
      "crash.1234.log",
    ]) {
      expect(defaults.match(path).excluded, path).toBe(true);
    }
    for (const path of ["main.tf", "crash.tf", "state.tfstate.json", ".gitignore"])
      expect(defaults.match(path).excluded, path).toBe(false);
  });
});
