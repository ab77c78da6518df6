import { describe, expect, it } from "vitest";
import { parseJson } from "./parse-json.js";

describe("parseJson (Go encoding/json acceptance)", () => {
  it("keeps repeated members in order", () => {
    const value = parseJson('{"a": 1, "A": {"x": null}, "a": [true, "s"]}');
    expect(value.type === "object" && value.members.map((m) => m.key)).toEqual(["a", "A", "a"]);
  });

  it.each([
    ["", "unexpected end of JSON input"],
    ["\ufeff{}", "invalid character"],
    ['{"a": 1,}', "looking for beginning of object key"],
    ["[1,]", "looking for beginning of value"],
    ["{'a': 1}", "looking for beginning of object key"],
    ["01", "after top-level value"],
    ['{"a": "x\ny"}', "invalid string literal"],
    ["{} {}", "after top-level value"],
    ["NaN", "looking for beginning of value"],
  ])("rejects %j", (text, message) => {
    expect(() => parseJson(text)).toThrow(message);
  });

  it("accepts what Go accepts", () => {
    expect(parseJson(" \t\r\n null ").type).toBe("null");
    expect(parseJson('"\\u00e9\\n"')).toMatchObject({ type: "string", value: "é\n" });
    expect(parseJson("-1.5e3")).toMatchObject({ type: "number", text: "-1.5e3" });
  });
});
