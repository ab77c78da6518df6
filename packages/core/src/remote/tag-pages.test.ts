import { describe, expect, it } from "vitest";
import { exitCodeOf, RegistryError } from "../errors.js";
import { TagPages } from "./tag-pages.js";

const base = new URL("https://r.example");
const answeredBy = new URL("https://r.example/v2/a/b/tags/list?n=1000");

describe("TagPages", () => {
  it("follows Link as sent, Quay's opaque next_page included (registry-quirks: quay-tags-next-page)", () => {
    const pages = new TagPages(base, "a/b", 1000);
    expect(pages.first()).toBe("tags/list?n=1000");
    expect(pages.next('</v2/a/b/tags/list?next_page=gAAAAABk&n=50>; rel="next"', answeredBy)).toBe(
      "tags/list?next_page=gAAAAABk&n=50",
    );
    expect(pages.next("<https://r.example/v2/a/b/tags/list?n=2&last=b>; rel=next", answeredBy)).toBe(
      "tags/list?n=2&last=b",
    );
    expect(pages.next(undefined, answeredBy)).toBeUndefined();
  });

  it("stops at a link or a page it has seen, so a registry that ignores paging cannot loop", () => {
    const pages = new TagPages(base, "a/b", 1000);
    const link = '</v2/a/b/tags/list?n=2&last=b>; rel="next"';
    expect(pages.next(link, answeredBy)).toBeDefined();
    expect(pages.next(link, answeredBy)).toBeUndefined();
    expect(pages.isNew(["a", "b"])).toBe(true);
    expect(pages.isNew(["c"])).toBe(true);
    expect(pages.isNew(["a", "b"])).toBe(false);
  });

  it("refuses a Link to another host or repository", () => {
    const pages = new TagPages(base, "a/b", 1000);
    expect(() => pages.next('<https://evil.example/v2/a/b/tags/list?n=1>; rel="next"', answeredBy)).toThrow(
      /another host/,
    );
    try {
      pages.next('</v2/other/tags/list?n=1>; rel="next"', answeredBy);
      expect.unreachable();
    } catch (error) {
      expect(exitCodeOf(error)).toBe(5);
    }
  });

  it("asks again with the n a registry says it allows (registry-quirks: ecr-tags-n-max-1000)", () => {
    const pages = new TagPages(base, "a/b", 1000);
    const message =
      "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 100'";
    const refused = new RegistryError("network", "HTTP 400", 400, [{ code: "UNSUPPORTED", message }]);
    expect(pages.smallerFirstPage(pages.first(), refused)).toBe("tags/list?n=100");
    expect(pages.smallerFirstPage(pages.first(), refused)).toBeUndefined();
    expect(pages.smallerFirstPage("tags/list?n=100&last=x", refused)).toBeUndefined();
  });
});
