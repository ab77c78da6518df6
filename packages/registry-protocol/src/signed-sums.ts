import { isTofuOciError, type CheckResult } from "@tofu-oci/core";
import { PackageCheckId, checkResult } from "./package-authentication.js";
import type { PackageMetadata } from "./provider-registry-client.js";
import type { RegistryHttp } from "./registry-http.js";
import { checkSignature, type SignatureCheckOptions } from "./signature.js";

/** A version's SHA256SUMS and the verdict on its signature. */
export interface SignedSums {
  /** The document, or undefined when it could not be fetched. */
  document?: Buffer;
  /** The signature check of the document (its `signature` check result). */
  signature: CheckResult;
  /** A caveat of a passing signature check (expired key, no keys on registry.opentofu.org). */
  warning?: string;
}

const SUMS_LIMIT = 1024 * 1024;
const SIGNATURE_LIMIT = 64 * 1024;

/**
 * Fetches and checks SHA256SUMS once per distinct (document, signature, keys), however many
 * platforms of a version point at it. A missing document or signature (404) is a failed check of
 * that version, not an error of the whole run.
 */
export class SignedSumsCache {
  readonly #pending = new Map<string, Promise<SignedSums>>();

  constructor(
    /** Fetches the documents (without credentials). */
    readonly http: RegistryHttp,
    /** How signatures are judged: host, enforcement switches and the time. */
    readonly options: SignatureCheckOptions,
  ) {}

  /** The SHA256SUMS document of `metadata` and its signature check, fetched once per document, signature and keys. */
  get(metadata: PackageMetadata): Promise<SignedSums> {
    const key = [metadata.shasumsUrl.href, metadata.shasumsSignatureUrl.href, ...metadata.signingKeys].join("\n");
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#load(metadata);
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #load(metadata: PackageMetadata): Promise<SignedSums> {
    const document = await fetchOrMissing(() => this.http.document(metadata.shasumsUrl, SUMS_LIMIT, "SHA256SUMS"));
    if (!document)
      return {
        signature: checkResult(PackageCheckId.signature, false, `SHA256SUMS is missing at ${metadata.shasumsUrl.href}`),
      };
    const signature = await fetchOrMissing(() =>
      this.http.document(metadata.shasumsSignatureUrl, SIGNATURE_LIMIT, "the SHA256SUMS signature"),
    );
    if (!signature)
      return {
        document,
        signature: checkResult(
          PackageCheckId.signature,
          false,
          `the SHA256SUMS signature is missing at ${metadata.shasumsSignatureUrl.href}`,
        ),
      };
    const verdict = await checkSignature(document, signature, metadata.signingKeys, this.options);
    const sums: SignedSums = {
      document,
      signature: checkResult(PackageCheckId.signature, verdict.ok, verdict.message),
    };
    if (verdict.warning) sums.warning = verdict.warning;
    return sums;
  }
}

/** The bytes, or undefined when the server answered 404. */
async function fetchOrMissing(fetch: () => Promise<Buffer>): Promise<Buffer | undefined> {
  try {
    return await fetch();
  } catch (error) {
    if (isTofuOciError(error) && error.code === "not-found") return undefined;
    throw error;
  }
}
