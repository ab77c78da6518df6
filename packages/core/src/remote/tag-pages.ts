import { RegistryError, TofuOciError } from "../errors.js";
import { registryWords } from "./registry-refusals.js";

/**
 * The pages of one repository's tag list (distribution-spec, listing tags): the first page asks
 * for `n` tags, every later one is the `Link: <...>; rel="next"` of the page before, followed as
 * sent (Quay's opaque `next_page`, registry-quirks: quay-tags-next-page) but only on the registry
 * and under the repository's own path. A link or a page seen before ends the listing, so a
 * registry that ignores paging cannot make it loop.
 */
export class TagPages {
  readonly #base: URL;
  readonly #prefix: string;
  #pageSize: number;
  readonly #links = new Set<string>();
  readonly #pages = new Set<string>();

  /** `base` is the registry's origin; `pageSize` the `n` of the first request. */
  constructor(
    base: URL,
    readonly repository: string,
    pageSize: number,
  ) {
    this.#base = base;
    this.#prefix = `/v2/${repository}/`;
    this.#pageSize = pageSize;
  }

  /** The path of the first page, relative to the repository. */
  first(): string {
    return `tags/list?n=${this.#pageSize}`;
  }

  /**
   * The first page again with the `n` the registry said it allows, when it refused the first
   * request with a limit (`... less than or equal to 100`); undefined otherwise.
   */
  smallerFirstPage(path: string, error: RegistryError): string | undefined {
    const limit = /less than or equal to '?(\d+)/i.exec(registryWords(error.errors))?.[1];
    if (path !== this.first() || error.status !== 400 || limit === undefined) return undefined;
    const allowed = Number(limit);
    if (!(allowed > 0 && allowed < this.#pageSize)) return undefined;
    this.#pageSize = allowed;
    return this.first();
  }

  /** False when the page has the same tags as one before it: the registry ignored the link. */
  isNew(tags: readonly string[]): boolean {
    if (tags.length === 0) return true;
    const key = JSON.stringify(tags);
    if (this.#pages.has(key)) return false;
    this.#pages.add(key);
    return true;
  }

  /** The path of the next page, relative to the repository, from the answer's `Link`; undefined at the end. */
  next(link: string | undefined, answeredBy: URL): string | undefined {
    const target = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1];
    if (!target) return undefined;
    const next = new URL(target, answeredBy);
    if (next.origin !== this.#base.origin) {
      throw new TofuOciError(
        "network",
        `${this.#base.host} sent a tag-list Link to another host (${next.host}); not followed`,
      );
    }
    if (!next.pathname.startsWith(this.#prefix))
      throw new TofuOciError("network", `${this.#base.host} sent an unexpected tag-list Link`);
    if (this.#links.has(next.href)) return undefined;
    this.#links.add(next.href);
    return next.pathname.slice(this.#prefix.length) + next.search;
  }
}
