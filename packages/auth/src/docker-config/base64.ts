const ALPHABET = /^[A-Za-z0-9+/]*$/;

/**
 * Decodes standard base64 as Go's `base64.StdEncoding` does for a JSON `[]byte`: CR and LF
 * anywhere are ignored, `=` padding is required, and every other character outside `A-Za-z0-9+/`
 * (spaces, URL-safe `-` and `_`) is an error. Node's decoder accepts all of those (docs/contract/auth/spec.md §5).
 * @throws Error naming the offending input offset.
 */
export function decodeStdBase64(text: string): Uint8Array {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact.length % 4 !== 0)
    throw new Error(`illegal base64 data at input byte ${compact.length - (compact.length % 4)}`);
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  const body = compact.slice(0, compact.length - padding);
  if (!ALPHABET.test(body)) throw new Error(`illegal base64 data at input byte ${firstIllegal(body)}`);
  if (padding === 2 && body.length % 4 === 1) throw new Error(`illegal base64 data at input byte ${body.length}`);
  return Buffer.from(compact, "base64");
}

function firstIllegal(body: string): number {
  for (let i = 0; i < body.length; i++) if (!/[A-Za-z0-9+/]/.test(body[i]!)) return i;
  return body.length;
}
