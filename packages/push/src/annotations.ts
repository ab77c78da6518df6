import { usageError } from "@tofu-oci/core";

const KEY = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;

/**
 * Parses `-a key=value` flags into an annotation map (as ORAS's `--annotation`). The value may
 * be empty; keys must be unique and look like `org.example.key`.
 * @throws TofuOciError "usage" naming the bad flag.
 */
export function parseAnnotations(flags: readonly string[] = []): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf("=");
    const key = equals === -1 ? flag : flag.slice(0, equals);
    if (equals === -1 || !KEY.test(key)) {
      throw usageError(
        `invalid annotation "${flag}"`,
        "Write -a key=value, e.g. -a org.opencontainers.image.source=https://example.com/repo.",
      );
    }
    if (key in annotations) throw usageError(`annotation "${key}" is given twice`);
    annotations[key] = flag.slice(equals + 1);
  }
  return annotations;
}

/** Checks an annotation map from library callers with the same rules as {@link parseAnnotations}. */
export function assertAnnotations(annotations: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(annotations)) {
    if (!KEY.test(key) || typeof value !== "string")
      throw usageError(
        `invalid annotation "${key}"`,
        "Annotation keys look like org.example.key and values are strings.",
      );
  }
  return annotations;
}
