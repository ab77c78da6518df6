import { randomBytes } from "node:crypto";
import { answerBody, jsonAnswer, specError, type Answer } from "./answer.js";
import type { Exchange, FrontContext, Layer } from "./front.js";
import type { TagPaging } from "./knobs.js";

/**
 * `GET /v2/<n>/tags/list` paged the personality's way (section 8 of
 * docs/contract/registry-quirks.md). Distribution 2.8 ignores `n` and returns every tag, so the
 * front asks it for all of them and cuts the page itself.
 */
export function tagsLayer(front: FrontContext): Layer {
  const pageTokens = new Map<string, number>();
  return {
    async before(exchange) {
      const paging = front.knobs.tags;
      if (!paging || exchange.route.kind !== "tags" || exchange.method !== "GET") return undefined;
      const all = await front.upstream.fetch("GET", `/v2/${exchange.route.repo}/tags/list`, exchange.forward.headers);
      if (all.status !== 200) return all;
      const { name, tags } = JSON.parse((await answerBody(all)).toString("utf8")) as {
        name: string;
        tags: string[] | null;
      };
      return page(paging, exchange, name, [...(tags ?? [])].sort(), pageTokens);
    },
  };
}

function page(
  paging: TagPaging,
  exchange: Exchange,
  name: string,
  tags: string[],
  pageTokens: Map<string, number>,
): Answer {
  const query = exchange.url.searchParams;
  let n = query.has("n") ? Number(query.get("n")) : paging.defaultN;
  if (n !== undefined && (!Number.isInteger(n) || n < 0))
    return specError(400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested", { n: query.get("n") });
  if (n !== undefined && paging.maxN !== undefined && n > paging.maxN) {
    // ecr-tags-n-max-1000 / acr-tags-cap-1000
    if (paging.overMax === "error") {
      const constraint = `'Member must have value less than or equal to ${paging.maxN}'`;
      const message = `Invalid parameter at 'maxResults' failed to satisfy constraint: ${constraint}`;
      return specError(400, "UNSUPPORTED", message);
    }
    n = paging.maxN;
  }
  let start = 0;
  if (paging.style === "opaque-next-page") {
    // quay-tags-next-page: `last` is ignored; only the opaque token moves on.
    start = pageTokens.get(query.get("next_page") ?? "") ?? 0;
  } else if (query.has("last")) {
    const last = query.get("last")!;
    start = tags.findIndex((tag) => tag > last);
    if (start < 0) start = tags.length;
  }
  const end = n === undefined ? tags.length : start + n;
  const headers: Record<string, string> = {};
  if (end < tags.length && n !== undefined && n > 0) {
    const base = `/v2/${name}/tags/list`;
    if (paging.style === "opaque-next-page") {
      const token = randomBytes(24).toString("base64url");
      pageTokens.set(token, end);
      headers.link = `<${base}?next_page=${token}&n=${n}>; rel="next"`;
    } else headers.link = `<${base}?n=${n}&last=${encodeURIComponent(tags[end - 1]!)}>; rel="next"`;
  }
  return jsonAnswer(200, { name, tags: tags.slice(start, end) }, headers);
}
