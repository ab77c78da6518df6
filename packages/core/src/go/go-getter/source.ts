/**
 * String helpers of go-getter v1.8.6 and Go's `path` package that OpenTofu's module address
 * handling goes through. Strings are byte strings (see `toByteString`).
 */

/**
 * `getter.SourceDirSubdir` (source.go:20-54): the first `//` after any `://` and before the
 * first `?` starts the subdirectory; a query after the subdirectory moves back onto the address.
 */
export function sourceDirSubdir(src: string): [string, string] {
  const q = src.indexOf("?");
  const stop = q === -1 ? src.length : q;
  const scheme = src.slice(0, stop).indexOf("://");
  const offset = scheme === -1 ? 0 : scheme + 3;
  const found = src.slice(offset, stop).indexOf("//");
  if (found === -1) return [src, ""];
  const at = found + offset;
  let subdir = src.slice(at + 2);
  let address = src.slice(0, at);
  const query = subdir.indexOf("?");
  if (query !== -1) {
    address += subdir.slice(query);
    subdir = subdir.slice(0, query);
  }
  return [address, subdir];
}

/** `getForcedGetter` (get.go:147-155) with `forcedRegexp` `^([A-Za-z0-9]+)::(.+)$` (get.go:60); `.` stops at newlines. */
export function forcedGetter(src: string): [string, string] {
  const match = /^([A-Za-z0-9]+)::([^\n]+)$/.exec(src);
  return match ? [match[1]!, match[2]!] : ["", src];
}

/** Go's `path.Clean` (lexical: `.` and `..` elements, repeated and trailing slashes). */
export function goPathClean(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const out: string[] = [];
  for (const element of path.split("/")) {
    if (element === "" || element === ".") continue;
    if (element === "..") {
      if (out.length > 0 && out.at(-1) !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(element);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** `getmodules.SplitPackageSubdir` (internal/getmodules/subdir.go:27-44): go-getter's split, then `path.Clean`. */
export function splitPackageSubdir(given: string): [string, string] {
  const [address, subdir] = sourceDirSubdir(given);
  return [address, subdir === "" ? "" : goPathClean(subdir)];
}
