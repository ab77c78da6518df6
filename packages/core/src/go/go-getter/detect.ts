import { parseGoQuery } from "../url.js";

/**
 * The detectors OpenTofu gives `getter.Detect` (internal/getmodules/getter.go:38-60) for an
 * address that has no URL scheme, in their order: GitHub (query removed first), Git over SSH
 * (user `git`), BitBucket, GCS, S3, then OpenTofu's file detector (file_detector.go:162-172).
 * Only what decides OCI sources is modelled: which getter a match would pick, or the error.
 */
export type DetectOutcome =
  | { kind: "getter"; getter: string }
  | { kind: "relative"; addr: string }
  | { kind: "error"; error: string }
  | { kind: "none" };

/** go-getter detect_ssh.go:17 `sshPattern`, as Go's regexp reads it (`.` stops at a newline). */
const SSH_PATTERN = /^(?:([^@]+)@)?([^:]+):\/?([^\n]+)$/;

/** Runs the detectors of {@link DetectOutcome} on an address without a URL scheme, in OpenTofu's order. */
export function detectRemote(src: string): DetectOutcome {
  if (src === "") return { kind: "none" };
  const withoutQuery = src.includes("?") ? src.slice(0, src.indexOf("?")) : src;
  if (withoutQuery.startsWith("github.com/")) {
    return withoutQuery.split("/").length < 3
      ? { kind: "error", error: "GitHub URLs should be github.com/username/repo" }
      : { kind: "getter", getter: "git" };
  }
  const ssh = SSH_PATTERN.exec(src);
  if (ssh) {
    const path = ssh[3]!;
    const q = path.indexOf("?");
    const problem = q === -1 ? undefined : parseGoQuery(path.slice(q + 1)).error;
    if (problem) return { kind: "error", error: `error parsing GitHub SSH URL: ${problem}` };
    if ((ssh[1] ?? "") === "git") return { kind: "getter", getter: "git" };
  }
  if (src.startsWith("bitbucket.org/"))
    return { kind: "getter", getter: "bitbucket (git or hg, asked over the network)" };
  if (src.includes(".googleapis.com/")) return { kind: "getter", getter: "gcs" };
  if (src.includes(".amazonaws.com/")) return { kind: "getter", getter: "s3" };
  if (!src.startsWith("/")) return { kind: "relative", addr: src };
  return { kind: "getter", getter: "file" };
}
