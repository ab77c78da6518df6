/** Options of {@link safeRemoteText}. */
export interface SafeTextOptions {
  /** Values the request carried that must never be shown, e.g. its Authorization header. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Longest result, in characters; the rest is cut with "...". Default 500. */
  limit?: number;
}

// C0 controls (ESC starts ANSI sequences; CR and LF forge lines), DEL and the C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// What looks like a credential wherever it appears: an auth scheme and its value, a JWT.
const CREDENTIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(authorization|proxy-authorization)\s*[:=]\s*("?)[^"\r\n,;]+\2/gi, "$1: [redacted]"],
  [/\b(basic|bearer)\s+[A-Za-z0-9._~+/-]+=*/gi, "$1 [redacted]"],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted]"],
  [/\b((?:access_|refresh_|id_)?token|password|secret)("?\s*[:=]\s*"?)[^"\s,;&]+/gi, "$1$2[redacted]"],
];

/**
 * Makes text that a server sent (a registry's error message, a provider registry's warning) safe
 * to print on a terminal and in records: control characters are shown escaped (`\u001b`, `\n`),
 * so an answer can neither send ANSI escape sequences nor forge extra output lines; whatever
 * looks like a credential, and every value in `secrets` (with, for an Authorization header, its
 * token and for Basic its decoded password), becomes `[redacted]`; long text is cut.
 */
export function safeRemoteText(text: string, options: SafeTextOptions = {}): string {
  let safe = text;
  for (const secret of expandSecrets(options.secrets ?? [])) safe = safe.split(secret).join("[redacted]");
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) safe = safe.replace(pattern, replacement);
  safe = safe.replace(CONTROL, (char) =>
    char === "\n"
      ? "\\n"
      : char === "\r"
        ? "\\r"
        : char === "\t"
          ? "\\t"
          : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const limit = options.limit ?? 500;
  return safe.length > limit ? `${safe.slice(0, limit)}...` : safe;
}

/** Each secret, plus for `Basic X`/`Bearer X` the value X and for Basic the decoded `user:password` and password. */
function expandSecrets(secrets: ReadonlyArray<string | undefined>): string[] {
  const expanded = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    expanded.add(secret);
    const scheme = /^(basic|bearer)\s+(\S+)$/i.exec(secret);
    if (!scheme) continue;
    expanded.add(scheme[2]!);
    if (scheme[1]!.toLowerCase() !== "basic") continue;
    const decoded = Buffer.from(scheme[2]!, "base64").toString("utf8");
    expanded.add(decoded);
    const password = decoded.slice(decoded.indexOf(":") + 1);
    if (password.length >= 4) expanded.add(password);
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...expanded].filter((value) => value.length >= 4).sort((a, b) => b.length - a.length);
}
