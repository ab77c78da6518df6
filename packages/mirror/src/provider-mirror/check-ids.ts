export { checkResult } from "@tofu-oci/registry-protocol";

/** The check ids mirror adds to registry-protocol's package checks. */
export const MirrorCheckId = {
  lockHashes: "lock-hashes",
  mirror: "mirror-content",
} as const;
