import { describe, expect, it } from "vitest";
import type { HclFile, ObjectNode } from "./ast.js";
import { decodeBody } from "./decode.js";
import { parseHcl1 } from "./parse.js";

const keys = (file: HclFile) => file.items.map((item) => item.keys.map((key) => key.value));

describe("parseHcl1: native syntax", () => {
  it("parses blocks with quoted and unquoted labels, comments, heredocs and other settings", () => {
    const file = parseHcl1(`# comment
plugin_cache_dir = "$HOME/.cache" // trailing
/* block
   comment */
oci_credentials example.com {
  username = <<EOT
alice
EOT
  password = "p\\"w\${var.x}"
}
provider_installation { direct { exclude = ["a/b", "c/d"] } }
`);
    expect(keys(file)).toEqual([["plugin_cache_dir"], ["oci_credentials", "example.com"], ["provider_installation"]]);
    const body = file.items[1]!.value as ObjectNode;
    expect(decodeBody(body, { username: "string", password: "string" })).toEqual({
      username: "alice\n",
      password: 'p"w${var.x}',
    });
  });

  it.each([
    ['oci_credentials "x" = { username = "a" }', "nested object expected"],
    ['oci_credentials "x" {\n  username = "a"\n  username = "b"\n}', 'The argument "username" at 3:3 was already set'],
    ["oci_credentials {", "RBRACE"],
    ['a = "unterminated\n"', "literal not terminated"],
    ["a = [1 2]", "expected comma"],
    ["oci_credentials example.com:5000 { }", "illegal char"],
  ])("rejects %j", (text, message) => {
    expect(() => parseHcl1(text)).toThrow(message);
  });

  it("normalises CRLF and reads a BOM-prefixed JSON file as native syntax (which fails)", () => {
    expect(keys(parseHcl1('a = "b"\r\nc = 1\r\n'))).toEqual([["a"], ["c"]]);
    expect(() => parseHcl1('\ufeff{"oci_credentials": {}}')).toThrow();
  });
});

describe("parseHcl1: JSON syntax", () => {
  it("flattens the object and array forms into labelled blocks", () => {
    expect(
      keys(
        parseHcl1(
          '{"oci_credentials": {"a.io": {"username": "u", "password": "p"}, "b.io": {"docker_credentials_helper": "x"}}}',
        ),
      ),
    ).toEqual([
      ["oci_credentials", "a.io"],
      ["oci_credentials", "b.io"],
    ]);
    expect(keys(parseHcl1('{"oci_credentials": [{"a.io": {"username": "u"}}]}'))).toEqual([
      ["oci_credentials", "a.io"],
    ]);
  });

  it("keeps repeated top-level keys, which JSON.parse would drop", () => {
    expect(
      keys(parseHcl1('{"oci_credentials": {"a.io": {"x": 1}}, "oci_credentials": {"b.io": {"x": 1}}}')),
    ).toHaveLength(2);
  });

  it("decides flattening top-down on the children as written", () => {
    expect(keys(parseHcl1('{"oci_credentials": {"a.io": [{"username": "u"}]}}'))).toEqual([["oci_credentials"]]);
  });
});

describe("decodeBody (HCL 1 decoder rules)", () => {
  const body = (text: string) => parseHcl1(`b {\n${text}\n}`).items[0]!.value as ObjectNode;

  it("matches names case-insensitively, turns integers into strings and ignores unknown arguments", () => {
    expect(decodeBody(body('USERNAME = 123\ntypo = "x"'), { username: "string" })).toEqual({ username: "123" });
  });

  it("rejects booleans and floats as strings, and strings as booleans", () => {
    expect(() => decodeBody(body("username = true"), { username: "string" })).toThrow("unknown type for string");
    expect(() => decodeBody(body("username = 1.5"), { username: "string" })).toThrow("unknown type for string");
    expect(() => decodeBody(body('flag = "true"'), { flag: "bool" })).toThrow("unknown type");
    expect(() => decodeBody(body('files = "a"'), { files: "string-list" })).toThrow("unknown slice type");
  });
});
