import { DecoratorHandler, type Dispatcher } from "undici";

/** One response the registry (or its token service, or its blob storage) sent. */
export interface Observation {
  method: string;
  /** `scheme://host:port`. */
  origin: string;
  /** Path and query. */
  path: string;
  status: number;
  /** The response headers worth reporting (rate limits, challenges, OCI-Subject); never request headers. */
  headers: Record<string, string>;
}

// Response headers a report may quote; cookies and everything else stay out of it.
const KEPT =
  /^(ratelimit-|x-ratelimit-|docker-ratelimit-|retry-after$|www-authenticate$|oci-subject$|oci-chunk-min-length$|docker-distribution-api-version$|content-type$|location$)/;
const LIMIT = 5000;

/**
 * The connection pool with an interceptor that notes each response's status and a few headers,
 * so one run sees what every layer above it (core's client, push, verify) was told: rate-limit
 * headers, 429s, the token service's answers. Requests are never recorded, so no secret is.
 */
export function observedDispatcher(dispatcher: Dispatcher, observations: Observation[]): Dispatcher {
  return dispatcher.compose((dispatch) => (options, handler) => {
    const noted = { method: options.method, origin: String(options.origin ?? ""), path: options.path };
    return dispatch(
      options,
      observing(handler, (status, headers) => note(observations, { ...noted, status, headers })),
    );
  });
}

function note(observations: Observation[], observation: Observation): void {
  observations.push(observation);
  if (observations.length > LIMIT) observations.shift();
}

// undici's types declare DecoratorHandler without its methods; it forwards every one of them to the wrapped handler.
const ForwardingHandler = DecoratorHandler as unknown as new (
  handler: Dispatcher.DispatchHandler,
) => Dispatcher.DispatchHandler & Required<Pick<Dispatcher.DispatchHandler, "onResponseStart">>;

/** `handler`, told first of each response's status and headers. */
function observing(
  handler: Dispatcher.DispatchHandler,
  onStart: (status: number, headers: Record<string, string>) => void,
): Dispatcher.DispatchHandler {
  const decorated = new ForwardingHandler(handler);
  const forward = decorated.onResponseStart.bind(decorated);
  decorated.onResponseStart = (controller, statusCode, headers, statusMessage) => {
    onStart(statusCode, keptHeaders(headers));
    forward(controller, statusCode, headers, statusMessage);
  };
  return decorated;
}

function keptHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value !== undefined && KEPT.test(key)) kept[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}
