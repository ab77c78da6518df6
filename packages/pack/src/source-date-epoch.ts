import { usageError } from "@tofu-oci/core";

/**
 * Parses the SOURCE_DATE_EPOCH convention (reproducible-builds.org): whole seconds since 1970.
 * Unset or empty gives undefined; anything else that is not a whole number is a usage error.
 */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value))
    throw usageError(
      `SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${value}"`,
      "For example: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
    );
  return Number(value);
}
