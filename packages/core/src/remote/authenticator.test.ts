import { describe, expect, it } from "vitest";
import { mergeScopes } from "./authenticator.js";
import { parseChallenge } from "./www-authenticate.js";

describe("parseChallenge", () => {
  it("parses distribution's Bearer challenge", () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"',
      ),
    ).toEqual({
      scheme: "bearer",
      params: {
        realm: "https://auth.example.com/token",
        service: "registry.example.com",
        scope: "repository:a/b:pull,push",
      },
    });
  });

  it("parses Basic, unquoted values and escapes", () => {
    expect(parseChallenge('Basic realm="a \\"quoted\\" realm"')).toEqual({
      scheme: "basic",
      params: { realm: 'a "quoted" realm' },
    });
    expect(parseChallenge("Bearer realm=https://x/token, service=svc")).toEqual({
      scheme: "bearer",
      params: { realm: "https://x/token", service: "svc" },
    });
  });

  it("returns nothing for an empty header", () => {
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge("")).toBeUndefined();
  });
});

describe("mergeScopes", () => {
  it("merges actions per resource and sorts", () => {
    expect(mergeScopes(["repository:b:push", "repository:a:pull", "repository:b:pull", "repository:a:pull"])).toEqual([
      "repository:a:pull",
      "repository:b:pull,push",
    ]);
  });

  it("keeps resource names that contain colons (host:port)", () => {
    expect(mergeScopes(["repository:localhost:5000/a:pull"])).toEqual(["repository:localhost:5000/a:pull"]);
  });
});
