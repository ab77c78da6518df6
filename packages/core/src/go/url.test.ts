import { describe, expect, it } from "vitest";
import { goQuote, toByteString } from "./quote.js";
import { encodeGoValues, formatGoUrl, parseGoQuery, parseGoUrl } from "./url.js";

// Expected values printed by Go's net/url and strconv.Quote for the same inputs.
describe("Go net/url", () => {
  it("splits, decodes and re-encodes like url.Parse, ParseQuery and Encode", () => {
    const parsed = parseGoUrl(toByteString("oci://u:p@h.example:5000/a%2Fb/c?z=1&a=2&a=%20x+y#f%20g"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.url).toMatchObject({
      scheme: "oci",
      host: "h.example:5000",
      path: "/a/b/c",
      rawPath: "/a%2Fb/c",
      rawQuery: "z=1&a=2&a=%20x+y",
      fragment: "f g",
    });
    expect(encodeGoValues(parseGoQuery(parsed.url.rawQuery).values)).toBe("a=2&a=+x+y&z=1");
    expect(formatGoUrl(parsed.url)).toBe("oci://u:p@h.example:5000/a%2Fb/c?z=1&a=2&a=%20x+y#f%20g");
  });

  it("drops query pairs with a semicolon or a bad escape and reports the first problem", () => {
    const query = parseGoQuery("x=1;y=2&k=%zz&m=ok");
    expect(encodeGoValues(query.values)).toBe("m=ok");
    expect(query.error).toBe("invalid semicolon separator in query");
  });

  it("keeps opaque and authority-less forms apart", () => {
    expect(parseGoUrl("oci:opaque/x")).toMatchObject({
      ok: true,
      url: { scheme: "oci", opaque: "opaque/x", host: "", path: "" },
    });
    expect(parseGoUrl("//h/p")).toMatchObject({ ok: true, url: { scheme: "", host: "h", path: "/p" } });
    const empty = parseGoUrl("oci:///r");
    expect(empty.ok && formatGoUrl(empty.url)).toBe("oci:///r");
    const spaced = parseGoUrl("oci://h/a b");
    expect(spaced).toMatchObject({ ok: true, url: { path: "/a b", rawPath: "/a b" } });
    expect(spaced.ok && formatGoUrl(spaced.url)).toBe("oci://h/a%20b");
  });

  it("reports parse errors with Go's text", () => {
    expect(parseGoUrl(toByteString("oci://registry.example.com/net?tag=1\n"))).toEqual({
      ok: false,
      error: 'parse "oci://registry.example.com/net?tag=1\\n": net/url: invalid control character in URL',
    });
    expect(parseGoUrl("oci://registry.example.com:abc/net")).toEqual({
      ok: false,
      error: 'parse "oci://registry.example.com:abc/net": invalid port ":abc" after host',
    });
    expect(parseGoUrl(" oci://r/n")).toEqual({
      ok: false,
      error: 'parse " oci://r/n": first path segment in URL cannot contain colon',
    });
  });
});

describe("strconv.Quote", () => {
  it("escapes like Go", () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("tab\there")).toBe('"tab\\there"');
    expect(goQuote("é\u0000\u007f")).toBe('"é\\x00\\x7f"');
    expect(goQuote("\u00ffa".replace("\u00ff", "\xff"), { bytes: true })).toBe('"\\xffa"');
    expect(goQuote("\u00a0\u2028")).toBe('"\\u00a0\\u2028"');
  });
});
