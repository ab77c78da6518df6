import { DEFAULT_PROVIDER_HOST } from "@tofu-oci/opentofu";

/** The outcome of checking the detached signature over SHA256SUMS. */
export interface SignatureResult {
  /** Whether the SHA256SUMS signature is accepted, as `tofu init` would decide. */
  ok: boolean;
  /** What was found: the signing key, or why the signature is refused. */
  message: string;
  /** The primary key ID (16 hex digits) of the key that made a valid signature. */
  keyId?: string;
  /** Set when the check passed with a caveat: an expired key, or no keys for registry.opentofu.org. */
  warning?: string;
}

/** OpenTofu's rules for checking SHA256SUMS signatures, with the environment switches it honours. */
export interface SignatureCheckOptions {
  /** The registry host; only registry.opentofu.org may send no keys (rfc/20230905-provider-gpgkey-missing.md). */
  hostname: string;
  /** OPENTOFU_ENFORCE_GPG_VALIDATION=true: no keys is a failure on every host. Default false. */
  enforceValidation?: boolean;
  /** OPENTOFU_ENFORCE_GPG_EXPIRATION=true: an expired key is a failure. Default false. */
  enforceExpiration?: boolean;
  /** The time to judge expiry at. Default now. */
  now?: Date;
}

type OpenPgp = typeof import("openpgp");

/**
 * Checks a binary detached OpenPGP signature over the exact SHA256SUMS bytes against the
 * registry's `signing_keys`, the way OpenTofu's `signatureAuthentication` does
 * (internal/getproviders/package_authentication.go:589 AuthenticatePackage, :672
 * findSigningKey): keys are tried
 * in turn, a key that did not make the signature ("unknown issuer") moves on to the next, any
 * other failure is final, and an expired key passes with a warning unless expiry is enforced.
 */
export async function checkSignature(
  document: Uint8Array,
  signature: Uint8Array,
  armoredKeys: readonly string[],
  options: SignatureCheckOptions,
): Promise<SignatureResult> {
  if (armoredKeys.length === 0) return noKeys(options);
  const openpgp = await import("openpgp");
  let parsed: import("openpgp").Signature;
  try {
    parsed = await openpgp.readSignature({ binarySignature: signature });
  } catch (error) {
    return failed(`SHA256SUMS.sig is not a binary OpenPGP signature (${messageOf(error)})`);
  }
  let expired: SignatureResult | undefined;
  for (const [i, armored] of armoredKeys.entries()) {
    const result = await checkWithKey(openpgp, document, parsed, armored, i, options);
    if (result === "unknown-issuer") continue;
    if (!result.ok || !result.warning) return result;
    expired ??= result;
  }
  if (expired && !options.enforceExpiration) return expired;
  return failed(
    expired
      ? expired.warning!
      : `SHA256SUMS is not signed by any of the registry's ${armoredKeys.length} signing key(s) (unknown issuer ${issuerOf(parsed)})`,
  );
}

async function checkWithKey(
  openpgp: OpenPgp,
  document: Uint8Array,
  signature: import("openpgp").Signature,
  armored: string,
  index: number,
  options: SignatureCheckOptions,
): Promise<SignatureResult | "unknown-issuer"> {
  let keys: import("openpgp").Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: armored });
  } catch (error) {
    return failed(`signing key ${index + 1} cannot be decoded: ${messageOf(error)}`);
  }
  const issuers = signature.getSigningKeyIDs();
  const key = keys.find((candidate) => candidate.getKeyIDs().some((id) => issuers.some((issuer) => issuer.equals(id))));
  if (!key) return "unknown-issuer";
  try {
    const message = await openpgp.createMessage({ binary: document });
    const { signatures } = await openpgp.verify({ message, signature, verificationKeys: key, format: "binary" });
    await signatures[0]!.verified;
  } catch (error) {
    return failed(`the SHA256SUMS signature is invalid: ${messageOf(error)}`);
  }
  const keyId = key.getKeyID().toHex().toUpperCase();
  const expiry = await key.getExpirationTime().catch(() => null);
  const now = options.now ?? new Date();
  if (expiry instanceof Date && expiry.getTime() <= now.getTime()) {
    return {
      ok: true,
      keyId,
      message: `signed by key ${keyId}, which expired ${expiry.toISOString().slice(0, 10)}`,
      warning: `the signing key ${keyId} expired on ${expiry.toISOString().slice(0, 10)}`,
    };
  }
  return { ok: true, keyId, message: `SHA256SUMS signed by key ${keyId}` };
}

function noKeys(options: SignatureCheckOptions): SignatureResult {
  if (options.hostname === DEFAULT_PROVIDER_HOST && !options.enforceValidation) {
    const warning = `${DEFAULT_PROVIDER_HOST} sent no signing keys; the signature was not checked, as OpenTofu does (set OPENTOFU_ENFORCE_GPG_VALIDATION=true to refuse)`;
    return { ok: true, message: "no signing keys: signature not checked", warning };
  }
  return failed(`the registry sent no signing keys, so the SHA256SUMS signature cannot be checked`);
}

function issuerOf(signature: import("openpgp").Signature): string {
  return (
    signature
      .getSigningKeyIDs()
      .map((id) => id.toHex().toUpperCase())
      .join(", ") || "unknown"
  );
}

function failed(message: string): SignatureResult {
  return { ok: false, message };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
