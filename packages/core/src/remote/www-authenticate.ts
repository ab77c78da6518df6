/** One authentication challenge from a `WWW-Authenticate` header (RFC 7235). */
export interface Challenge {
  /** The auth scheme, lower case: `bearer` or `basic`. */
  scheme: string;
  /** The challenge's parameters (`realm`, `service`, `scope`...), names lower case. */
  params: Record<string, string>;
}

/**
 * Parses the first challenge of a `WWW-Authenticate` header, e.g.
 * `Bearer realm="https://auth.example.com/token",service="registry",scope="repository:a:pull"`.
 * The scheme is lowercased (registry-quirks: nexus-basic-uppercase), parameter names too.
 */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const paramPattern = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
  const text = match[2] ?? "";
  let param: RegExpExecArray | null;
  while ((param = paramPattern.exec(text)) !== null && param[0] !== "") {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, "$1") : (param[3] ?? "");
  }
  return { scheme: match[1]!.toLowerCase(), params };
}
