import { describe, expect, it } from "vitest";
import { formatDirective, parseDirective, rewriteComment } from "./directive.js";
import { applyEdits, sourceEdits } from "./edit.js";
import { findSourceSites } from "./source-sites.js";

const TRICKY = `# module "commented" { source = "oci://r.example/commented?tag=1" }
// module "slashes" {
//   source = "oci://r.example/slashes?tag=1"
// }
/* module "block" {
  source = "oci://r.example/block?tag=1"
} */
locals {
  doc = <<-EOT
    module "heredoc" {
      source = "oci://r.example/heredoc?tag=1"
    }
  EOT
  text = "module \\"quoted\\" { source = \\"oci://r.example/quoted?tag=1\\" }"
  tpl  = "\${jsonencode({ source = "oci://r.example/template?tag=1" })}"
}
module "net" {
  source  = "oci://r.example/net//vpc?tag=1.0.0" # tofu-oci: ~> 1.0
  version = null
  providers = {
    aws = aws.west
  }
}
module "one" { source = "oci://r.example/one?tag=2" }
module "local" {
  source = "./modules/local"
}
resource "x" "y" {
  module "not-a-module" {
    source = "oci://r.example/nested?tag=1"
  }
}
`;

describe("findSourceSites", () => {
  it("finds module sources by position, and nothing in comments, heredocs, strings or nested blocks", () => {
    const sites = findSourceSites(TRICKY);
    expect(sites.map((s) => [s.module, s.value, s.line])).toEqual([
      ["net", "oci://r.example/net//vpc?tag=1.0.0", 18],
      ["one", "oci://r.example/one?tag=2", 24],
      ["local", "./modules/local", 26],
    ]);
    expect(TRICKY.slice(sites[0]!.start, sites[0]!.end)).toBe('"oci://r.example/net//vpc?tag=1.0.0"');
    expect(sites[0]!.comment?.text).toBe("# tofu-oci: ~> 1.0");
    expect(sites[1]!.comment).toBeUndefined();
  });

  it("keeps CRLF line ends out of the comment", () => {
    const text = 'module "a" {\r\n  source = "oci://r.example/a?tag=1" # tofu-oci: ~> 1.0\r\n}\r\n';
    const [site] = findSourceSites(text);
    expect(site!.comment!.text).toBe("# tofu-oci: ~> 1.0");
    expect(site!.line).toBe(2);
  });

  it("skips a source that is a template or an expression", () => {
    expect(
      findSourceSites('module "a" {\n  source = "oci://${var.host}/a"\n}\nmodule "b" {\n  source = local.s\n}\n'),
    ).toEqual([]);
  });
});

describe("tofu-oci: directives", () => {
  it.each([
    ["# tofu-oci: ~> 1.2", { constraint: "~> 1.2" }],
    ["# tofu-oci: tag=1.2.0", { tag: "1.2.0" }],
    ["// tofu-oci: >= 1.0, < 2.0; tag=v1.4.0", { constraint: ">= 1.0, < 2.0", tag: "v1.4.0" }],
    ["/* tofu-oci: tag=1.0.0 */", { tag: "1.0.0" }],
    ["# the network module", {}],
  ])("reads %j", (comment, directive) => {
    expect(parseDirective(comment)).toEqual(directive);
  });

  it("writes the constraint, then the tag, into the comment it came from", () => {
    expect(formatDirective({ constraint: "~> 1.2", tag: "1.2.3" })).toBe("tofu-oci: ~> 1.2; tag=1.2.3");
    expect(rewriteComment("# tofu-oci: ~> 1.2", { constraint: "~> 1.2", tag: "1.2.3" })).toBe(
      "# tofu-oci: ~> 1.2; tag=1.2.3",
    );
    expect(rewriteComment("# the network", { tag: "1" })).toBe("# the network; tofu-oci: tag=1");
    expect(rewriteComment("/* tofu-oci: tag=1 */", { tag: "2" })).toBe("/* tofu-oci: tag=2 */");
    expect(rewriteComment(undefined, { tag: "2" }, { codeFollows: true })).toBe("/* tofu-oci: tag=2 */");
  });
});

describe("sourceEdits", () => {
  const DIGEST = `sha256:${"a".repeat(64)}`;

  it("changes only the string and the comment after it", () => {
    const text = `${TRICKY}`.replaceAll("\n", "\r\n");
    const sites = findSourceSites(text);
    const edits = [
      ...sourceEdits(text, sites[0]!, `oci://r.example/net//vpc?digest=${DIGEST}`, {
        constraint: "~> 1.0",
        tag: "1.0.0",
      }),
      ...sourceEdits(text, sites[1]!, `oci://r.example/one?digest=${DIGEST}`, { tag: "2" }),
    ];
    const edited = applyEdits(text, edits);
    const expected = text
      .replace(
        '"oci://r.example/net//vpc?tag=1.0.0" # tofu-oci: ~> 1.0',
        `"oci://r.example/net//vpc?digest=${DIGEST}" # tofu-oci: ~> 1.0; tag=1.0.0`,
      )
      .replace(
        '{ source = "oci://r.example/one?tag=2" }',
        `{ source = "oci://r.example/one?digest=${DIGEST}" /* tofu-oci: tag=2 */ }`,
      );
    expect(edited).toBe(expected);
    // The edited file reads back with the new sources and directives.
    const again = findSourceSites(edited);
    expect(again.map((s) => [s.value, parseDirective(s.comment?.text)])).toEqual([
      [`oci://r.example/net//vpc?digest=${DIGEST}`, { constraint: "~> 1.0", tag: "1.0.0" }],
      [`oci://r.example/one?digest=${DIGEST}`, { tag: "2" }],
      ["./modules/local", {}],
    ]);
  });
});
