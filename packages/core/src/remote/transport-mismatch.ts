import { RegistryError, TofuOciError } from "../errors.js";

/**
 * A TLS handshake answered in plain HTTP: the registry speaks HTTP and `--plain-http` is missing.
 * OpenSSL reports the HTTP bytes it got as a record of a "wrong version number" (or of an absurd
 * length), in the error's message or its code (`ERR_SSL_WRONG_VERSION_NUMBER`).
 */
export function plainHttpServerError(error: unknown): TofuOciError | undefined {
  const err = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const text = [err.code, err.message, err.cause?.code, err.cause?.message]
    .filter((part) => typeof part === "string")
    .join(" ");
  if (!/wrong[ _]version[ _]number|packet length too long/i.test(text)) return undefined;
  return new TofuOciError(
    "network",
    "the registry speaks plain HTTP, not HTTPS (its answer to the TLS handshake was not TLS)",
    {
      cause: error,
      hint: "Pass --plain-http (or set plainHttp in .tofu-ocirc) for a registry without TLS.",
    },
  );
}

/**
 * A plain HTTP request answered with the 400 that HTTPS servers send for it (Go's net/http, as in
 * the CNCF distribution registry: "Client sent an HTTP request to an HTTPS server."; nginx: "The
 * plain HTTP request was sent to HTTPS port"): `--plain-http` was given to a TLS registry.
 */
export function httpsServerError(status: number, body: string): RegistryError | undefined {
  if (status !== 400 || !/HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i.test(body))
    return undefined;
  return new RegistryError(
    "network",
    "the registry speaks HTTPS, and --plain-http sent it plain HTTP (HTTP 400)",
    status,
    [],
    {
      hint: "Drop --plain-http (and plainHttp from .tofu-ocirc); for a self-signed certificate pass --ca-file.",
    },
  );
}
