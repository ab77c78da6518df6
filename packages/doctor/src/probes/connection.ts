import { dispatcherSend, header, registryDispatcher, retrying, type HttpResponse } from "@tofu-oci/core/remote";
import type { Dispatcher } from "undici";
import { fail, ok } from "../probe.js";
import type { Probe } from "../records.js";
import type { DoctorSession } from "../session.js";

/** The anonymous answer to `GET /v2/`: what the registry asks of clients. */
export interface Ping {
  status: number;
  /** The `WWW-Authenticate` challenge of a 401. */
  challenge?: string;
}

const ALTERNATIVE_TIMEOUT_MS = 5000;

/**
 * `connection`: whether the registry answers `GET /v2/` over the configured transport (HTTPS with
 * a verified certificate, or `--plain-http`). When it does not, the other transport is tried, so
 * the report can name the flag that fixes a mismatch: `--plain-http` for a plain HTTP registry;
 * dropping it for a TLS one; `--ca-file` (or `--insecure`) for a certificate this machine does
 * not trust.
 */
export async function probeConnection(session: DoctorSession): Promise<{ probe: Probe; ping?: Ping }> {
  const { plainHttp = false, insecure = false } = session.options;
  let response: HttpResponse;
  try {
    response = await ping(session.dispatcher, session.baseUrl, session.signal, session.options.retry?.retries);
  } catch (error) {
    const problem = (error as Error).message;
    return { probe: (await mismatch(session, problem)) ?? unreachable(session, problem) };
  }
  if (response.status !== 200 && response.status !== 401) {
    // A TLS server answers plain HTTP with 400 ("Client sent an HTTP request to an HTTPS server").
    const problem = `GET ${session.baseUrl.origin}/v2/ answered HTTP ${response.status}`;
    const probe =
      (await mismatch(session, problem)) ??
      fail("connection", "network", `${problem}, not the 200 or 401 of an OCI registry`, {
        hint: "Check the host and port: REF names the registry's API host (for Docker Hub registry-1.docker.io, not docker.io).",
      });
    return { probe };
  }
  const transport = plainHttp
    ? "plain HTTP"
    : insecure
      ? "HTTPS, certificate not verified (--insecure)"
      : "HTTPS, certificate verified";
  const apiVersion = header(response.headers, "docker-distribution-api-version");
  const challenge = header(response.headers, "www-authenticate");
  return {
    probe: ok("connection", `${transport}; GET /v2/ answered ${response.status}`, {
      facts: {
        scheme: plainHttp ? "http" : "https",
        tlsVerified: !plainHttp && !insecure,
        status: response.status,
        apiVersion: apiVersion ?? null,
      },
    }),
    ping: { status: response.status, ...(challenge ? { challenge } : {}) },
  };
}

/** The failure of a transport the registry does not speak, when the other one (or TLS without verification) works. */
async function mismatch(session: DoctorSession, problem: string): Promise<Probe | undefined> {
  const { plainHttp = false, caFile } = session.options;
  const host = session.registry;
  const facts = { scheme: plainHttp ? "http" : "https", error: problem };
  if (plainHttp) {
    if (!(await answers(host, "https", { insecure: true }))) return undefined;
    const trusted = await answers(host, "https", caFile ? { caFile } : {});
    return fail("connection", "network", `${host} speaks TLS (HTTPS), not plain HTTP: ${problem}`, {
      facts,
      hint: trusted
        ? "Drop --plain-http."
        : "Drop --plain-http, and pass --ca-file with the registry's CA certificate (this machine does not trust its certificate), or --insecure (unsafe).",
    });
  }
  if (await answers(host, "http", {}))
    return fail("connection", "network", `${host} speaks plain HTTP, not TLS: ${problem}`, {
      facts,
      hint: "Pass --plain-http.",
    });
  if (await answers(host, "https", { insecure: true })) {
    return fail("connection", "network", `the TLS certificate of ${host} is not trusted: ${problem}`, {
      facts,
      hint: "Pass --ca-file with the registry's CA certificate (PEM), or --insecure to skip verification (unsafe).",
    });
  }
  return undefined;
}

function unreachable(session: DoctorSession, problem: string): Probe {
  return fail("connection", "network", `${session.registry} is not reachable: ${problem}`, {
    facts: { scheme: session.options.plainHttp ? "http" : "https", error: problem },
    hint: "Check the host and port, the network between here and the registry (proxy, firewall), and that the registry runs.",
  });
}

/**
 * Whether `GET /v2/` over this transport gets a registry's answer (200 or 401): a TLS server's
 * `400 Client sent an HTTP request to an HTTPS server` to plain HTTP does not count.
 */
async function answers(
  host: string,
  scheme: "http" | "https",
  tls: { insecure?: boolean; caFile?: string },
): Promise<boolean> {
  const dispatcher = registryDispatcher({
    ...tls,
    connectTimeoutMs: ALTERNATIVE_TIMEOUT_MS,
    idleTimeoutMs: ALTERNATIVE_TIMEOUT_MS,
  });
  try {
    const response = await ping(
      dispatcher,
      new URL(`${scheme}://${host}`),
      AbortSignal.timeout(ALTERNATIVE_TIMEOUT_MS),
      0,
    );
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  } finally {
    await dispatcher.close();
  }
}

/** One anonymous `GET /v2/`, its body discarded; failures come out as core's readable network errors. */
async function ping(
  dispatcher: Dispatcher,
  base: URL,
  signal: AbortSignal | undefined,
  retries: number | undefined,
): Promise<HttpResponse> {
  const send = retrying(dispatcherSend(dispatcher), retries === undefined ? {} : { retries });
  const response = await send({ method: "GET", url: new URL("/v2/", base), signal });
  await response.body.dump();
  return response;
}
