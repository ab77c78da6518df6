import { usageError } from "@tofu-oci/core";

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * A size as a user writes it on the command line: bytes, or a number with K/KiB, M/MiB or G/GiB
 * (binary units), e.g. `1073741824`, `512MiB`, `2G`.
 * @throws TofuOciError "usage" (exit 2) naming the option.
 */
export function parseByteSize(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? "x"];
  const size = match && unit ? Math.floor(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(size) || size <= 0)
    throw usageError(`${option} must be a size such as 1073741824, 512MiB or 2GiB, got "${text}"`);
  return size;
}
