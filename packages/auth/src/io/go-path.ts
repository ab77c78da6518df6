import type { PlatformPath } from "node:path";
import { errorCode } from "./auth-io.js";

/**
 * Go's `filepath.Join`: empty elements are skipped and the result is cleaned, without the
 * trailing separator Node's `path.join` keeps.
 */
export function goJoin(path: PlatformPath, ...parts: string[]): string {
  const present = parts.filter((part) => part !== "");
  if (present.length === 0) return "";
  const joined = path.join(...present);
  const root = path.parse(joined).root;
  return joined.length > root.length && joined.endsWith(path.sep) ? joined.slice(0, -1) : joined;
}

const MESSAGES: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  ELOOP: "too many levels of symbolic links",
};

/** A file error in Go's words, e.g. `open /x: no such file or directory`, as OpenTofu prints it. */
export function goFileError(operation: "open" | "read", path: string, error: unknown): string {
  const code = errorCode(error);
  const detail = (code && MESSAGES[code]) ?? (error as Error)?.message ?? String(error);
  return `${code === "EISDIR" ? "read" : operation} ${path}: ${detail}`;
}
