import { goQuote } from "./quote.js";

/**
 * Go's `net/url` (Go 1.26) as go-getter and OpenTofu's oci getter use it: `Parse`,
 * `ParseRequestURI`, `Query`/`ParseQuery`, `Values.Encode`, `URL.String`. Strings here are byte
 * strings (one char per byte, see `toByteString`), because Go strings are bytes and
 * percent-decoding can produce any byte.
 */
export interface GoUrl {
  /** `Scheme`, lower case. */
  scheme: string;
  /** `Opaque`: the encoded rest after `scheme:` when it does not start with `/`. */
  opaque: string;
  /** `User`: the user name and password before `@`, decoded. */
  user?: { username: string; password?: string };
  /** `Host`: `host` or `host:port`. */
  host: string;
  /** `Path`: the decoded path. */
  path: string;
  /** `RawPath`: the encoded path, kept only when it differs from the default encoding of `path`. */
  rawPath: string;
  /** `OmitHost`: do not write an empty host (`//`). */
  omitHost: boolean;
  /** `ForceQuery`: write a `?` even when `rawQuery` is empty. */
  forceQuery: boolean;
  /** `RawQuery`: the encoded query, without `?`. */
  rawQuery: string;
  /** `Fragment`: the decoded fragment, without `#`. */
  fragment: string;
  /** `RawFragment`: the encoded fragment, kept only when it differs from the default encoding. */
  rawFragment: string;
}

/** A URL Go's net/url parsed, or its error text. */
export type GoUrlResult = { ok: true; url: GoUrl } | { ok: false; error: string };

enum Mode {
  Path = 1,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

class UrlError extends Error {}

/** `url.Parse`: the `#fragment` is cut off first; errors read `parse "URL": reason`. */
export function parseGoUrl(raw: string): GoUrlResult {
  const hash = raw.indexOf("#");
  const main = hash === -1 ? raw : raw.slice(0, hash);
  let url: GoUrl;
  try {
    url = parse(main, false);
  } catch (error) {
    return { ok: false, error: `parse ${goQuote(main, { bytes: true })}: ${(error as Error).message}` };
  }
  if (hash === -1) return { ok: true, url };
  try {
    setFragment(url, raw.slice(hash + 1));
  } catch (error) {
    return { ok: false, error: `parse ${goQuote(raw, { bytes: true })}: ${(error as Error).message}` };
  }
  return { ok: true, url };
}

/** `url.ParseRequestURI`: absolute URI or absolute path, no fragment handling. */
export function parseGoRequestUri(raw: string): GoUrlResult {
  try {
    return { ok: true, url: parse(raw, true) };
  } catch (error) {
    return { ok: false, error: `parse ${goQuote(raw, { bytes: true })}: ${(error as Error).message}` };
  }
}

function parse(raw: string, viaRequest: boolean): GoUrl {
  if ([...raw].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    throw new UrlError("net/url: invalid control character in URL");
  if (raw === "" && viaRequest) throw new UrlError("empty url");
  const url: GoUrl = {
    scheme: "",
    opaque: "",
    host: "",
    path: "",
    rawPath: "",
    omitHost: false,
    forceQuery: false,
    rawQuery: "",
    fragment: "",
    rawFragment: "",
  };
  if (raw === "*") {
    url.path = "*";
    return url;
  }
  let [scheme, rest] = getScheme(raw);
  url.scheme = scheme.toLowerCase();
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q !== -1) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (url.scheme !== "") {
      url.opaque = rest;
      return url;
    }
    if (viaRequest) throw new UrlError("invalid URI for request");
    const slash = rest.indexOf("/");
    if ((slash === -1 ? rest : rest.slice(0, slash)).includes(":"))
      throw new UrlError("first path segment in URL cannot contain colon");
  }
  if ((url.scheme !== "" || (!viaRequest && !rest.startsWith("///"))) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    parseAuthority(url, authority);
  } else if (url.scheme !== "" && rest.startsWith("/")) {
    url.omitHost = true;
  }
  setPath(url, rest);
  return url;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") {
      if (i === 0) throw new UrlError("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

function parseAuthority(url: GoUrl, authority: string): void {
  const at = authority.lastIndexOf("@");
  url.host = parseHost(url.scheme, at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return;
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new UrlError("net/url: invalid userinfo");
  const colon = userinfo.indexOf(":");
  if (colon === -1) {
    url.user = { username: goUnescape(userinfo, Mode.UserPassword) };
  } else {
    url.user = {
      username: goUnescape(userinfo.slice(0, colon), Mode.UserPassword),
      password: goUnescape(userinfo.slice(colon + 1), Mode.UserPassword),
    };
  }
}

/**
 * `parseHost`: bracketed IPv6 literals (checked as an address), else an optional `:port`; more
 * than one colon is refused only for http and https (go.dev/issue/75223, 78077), otherwise the
 * last colon starts the port. The host is then unescaped, where only non-ASCII bytes and %25 may
 * be escaped.
 */
function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf("[");
  if (open > 0) throw new UrlError("invalid IP-literal");
  if (open === 0) return parseIpLiteral(host);
  const first = host.indexOf(":");
  if (first !== -1) {
    const last = host.lastIndexOf(":");
    const colon = last !== first && scheme !== "http" && scheme !== "https" ? last : first;
    const port = host.slice(colon);
    if (!validOptionalPort(port)) throw new UrlError(`invalid port ${goQuote(port, { bytes: true })} after host`);
  }
  return goUnescape(host, Mode.Host);
}

function parseIpLiteral(host: string): string {
  const close = host.lastIndexOf("]");
  if (close < 0) throw new UrlError("missing ']' in host");
  const port = host.slice(close + 1);
  if (!validOptionalPort(port)) throw new UrlError(`invalid port ${goQuote(port, { bytes: true })} after host`);
  const unescapedPort = goUnescape(port, Mode.Host);
  const literal = host.slice(1, close);
  const zone = literal.indexOf("%25");
  const address =
    zone >= 0
      ? goUnescape(literal.slice(0, zone), Mode.Host) + goUnescape(literal.slice(zone), Mode.Zone)
      : goUnescape(literal, Mode.Host);
  const ip = address.split("%")[0]!;
  if (!isIpv6(ip))
    throw new UrlError(
      isIpv4(ip)
        ? "invalid IP-literal"
        : `invalid host: ParseAddr(${goQuote(address, { bytes: true })}): unable to parse IP`,
    );
  return `[${address}]${unescapedPort}`;
}

function isIpv4(text: string): boolean {
  return /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/.test(
    text,
  );
}

function isIpv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return false;
  const v4 = text.match(/:([0-9.]+)$/);
  const body = v4 && text.includes(".") ? `${text.slice(0, v4.index! + 1)}0:0` : text;
  if (v4 && text.includes(".") && !isIpv4(v4[1]!)) return false;
  const halves = body.split("::");
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === "" ? [] : half.split(":")));
  if (groups.some((list) => list.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group)))) return false;
  const count = groups.reduce((sum, list) => sum + list.length, 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

function validOptionalPort(port: string): boolean {
  return port === "" || /^:[0-9]*$/.test(port);
}

function setPath(url: GoUrl, path: string): void {
  url.path = goUnescape(path, Mode.Path);
  url.rawPath = goEscape(url.path, Mode.Path) === path ? "" : path;
}

function setFragment(url: GoUrl, fragment: string): void {
  url.fragment = goUnescape(fragment, Mode.Fragment);
  url.rawFragment = goEscape(url.fragment, Mode.Fragment) === fragment ? "" : fragment;
}

/** `shouldEscape` of net/url (RFC 3986 with Go's historical exceptions). */
function shouldEscape(c: number, mode: Mode): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === Mode.Host || mode === Mode.Zone) && "!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  if ("-_.~".includes(ch)) return false;
  if ("$&+,/:;=?@".includes(ch)) {
    switch (mode) {
      case Mode.Path:
        return ch === "?";
      case Mode.PathSegment:
        return "/;,?".includes(ch);
      case Mode.UserPassword:
        return "@/?:".includes(ch);
      case Mode.QueryComponent:
        return true;
      case Mode.Fragment:
        return false;
    }
  }
  if (mode === Mode.Fragment && "!()*".includes(ch)) return false;
  return true;
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** `unescape`: `%XX` decoding (and `+` as space in query components), with Go's errors. */
function goUnescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === "%") {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2]))
        throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3), { bytes: true })}`);
      const value = Number.parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === Mode.Host && value < 0x80 && s.slice(i, i + 3) !== "%25")
        throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3), { bytes: true })}`);
      if (mode === Mode.Zone && s.slice(i, i + 3) !== "%25" && value !== 0x20 && shouldEscape(value, Mode.Host)) {
        throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3), { bytes: true })}`);
      }
      i += 3;
      continue;
    }
    if ((mode === Mode.Host || mode === Mode.Zone) && c.charCodeAt(0) < 0x80 && shouldEscape(c.charCodeAt(0), mode)) {
      throw new UrlError(`invalid character ${goQuote(c, { bytes: true })} in host name`);
    }
    i++;
  }
  return s.replace(/%([0-9a-fA-F]{2})|\+/g, (_match, hex: string | undefined) => {
    if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
    return mode === Mode.QueryComponent ? " " : "+";
  });
}

function goEscape(s: string, mode: Mode): string {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 0x20 && mode === Mode.QueryComponent) out += "+";
    else if (shouldEscape(c, mode)) out += `%${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

/** `url.QueryUnescape`; throws with Go's message. */
export function goQueryUnescape(s: string): string {
  return goUnescape(s, Mode.QueryComponent);
}

/** `url.QueryEscape`. */
export function goQueryEscape(s: string): string {
  return goEscape(s, Mode.QueryComponent);
}

/** `url.Values`: keys in first-seen order (Go's map has none; `Encode` sorts). */
export type GoValues = Map<string, string[]>;

/**
 * `url.ParseQuery`: pairs split on `&`; a pair containing `;` or a bad escape is dropped (the
 * first such problem is the error, which `URL.Query` ignores); more than 10000 pairs is an error
 * with nothing parsed (the `urlmaxqueryparams` default).
 */
export function parseGoQuery(query: string): { values: GoValues; error?: string } {
  const values: GoValues = new Map();
  if (query.split("&").length > 10000) return { values, error: "number of URL query parameters exceeded limit" };
  let error: string | undefined;
  for (const pair of query === "" ? [] : query.split("&")) {
    if (pair.includes(";")) {
      error = "invalid semicolon separator in query";
      continue;
    }
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    try {
      const key = goQueryUnescape(eq === -1 ? pair : pair.slice(0, eq));
      const value = goQueryUnescape(eq === -1 ? "" : pair.slice(eq + 1));
      values.set(key, [...(values.get(key) ?? []), value]);
    } catch (problem) {
      error ??= (problem as Error).message;
    }
  }
  return { values, error };
}

/** `Values.Encode`: keys sorted bytewise, each `QueryEscape`d. */
export function encodeGoValues(values: GoValues): string {
  const keys = [...values.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, "latin1"), Buffer.from(b, "latin1")));
  return keys
    .flatMap((key) => values.get(key)!.map((value) => `${goQueryEscape(key)}=${goQueryEscape(value)}`))
    .join("&");
}

/** `URL.String`. */
export function formatGoUrl(url: GoUrl): string {
  let out = url.scheme ? `${url.scheme}:` : "";
  if (url.opaque) {
    out += url.opaque;
  } else {
    if (url.scheme || url.host || url.user) {
      if (url.omitHost && url.host === "" && !url.user) {
        // no authority
      } else if (url.host || url.path || url.user) {
        out += "//";
        if (url.user) {
          out += goEscape(url.user.username, Mode.UserPassword);
          if (url.user.password !== undefined) out += `:${goEscape(url.user.password, Mode.UserPassword)}`;
          out += "@";
        }
        if (url.host) out += escapeHost(url.host);
      }
    }
    const path = escapedPath(url);
    if (path !== "" && path[0] !== "/" && url.host !== "") out += "/";
    if (out === "" && path.includes(":") && !path.slice(0, path.indexOf(":")).includes("/")) out += "./";
    out += path;
  }
  if (url.forceQuery || url.rawQuery !== "") out += `?${url.rawQuery}`;
  if (url.fragment !== "")
    out += `#${url.rawFragment !== "" && validEncoded(url.rawFragment, Mode.Fragment) && safeUnescape(url.rawFragment, Mode.Fragment) === url.fragment ? url.rawFragment : goEscape(url.fragment, Mode.Fragment)}`;
  return out;
}

function escapeHost(host: string): string {
  return goEscape(host, Mode.Host);
}

function escapedPath(url: GoUrl): string {
  if (url.rawPath !== "" && validEncoded(url.rawPath, Mode.Path) && safeUnescape(url.rawPath, Mode.Path) === url.path)
    return url.rawPath;
  if (url.path === "*") return "*";
  return goEscape(url.path, Mode.Path);
}

function safeUnescape(s: string, mode: Mode): string | undefined {
  try {
    return goUnescape(s, mode);
  } catch {
    return undefined;
  }
}

function validEncoded(s: string, mode: Mode): boolean {
  for (const ch of s) {
    if ("!$&'()*+,;=:@[]%".includes(ch)) continue;
    if (shouldEscape(ch.charCodeAt(0), mode)) return false;
  }
  return true;
}
