import { usageError } from "@tofu-oci/core";
import { parseProviderAddress, type ProviderAddress } from "@tofu-oci/opentofu";

/** One PROVIDER[@CONSTRAINT] argument of `tofu-oci-mirror providers`. */
export interface ProviderRequest {
  /** The provider, `HOST/NAMESPACE/TYPE` parsed as OpenTofu does. */
  address: ProviderAddress;
  /** The constraint text after `@`, undefined for "newest non-prerelease". */
  constraint?: string;
}

const HINT = "Write NAMESPACE/TYPE (e.g. hashicorp/aws) or HOST/NAMESPACE/TYPE, optionally @CONSTRAINT.";

/**
 * Splits `PROVIDER@CONSTRAINT` at the first `@` and parses the address with OpenTofu's rules
 * (`parseProviderAddress` of @tofu-oci/opentofu), except that the namespace must be written: a
 * lone TYPE would silently mean hashicorp/TYPE. The constraint is checked by the caller.
 * @throws TofuOciError "usage" for a bad address or an empty constraint.
 */
export function parseProviderRequest(input: string): ProviderRequest {
  const at = input.indexOf("@");
  const text = (at === -1 ? input : input.slice(0, at)).trim();
  if (!text.includes("/")) {
    throw usageError(`invalid provider "${input}": a provider address is NAMESPACE/TYPE or HOST/NAMESPACE/TYPE`, HINT);
  }
  const address = parseProviderAddress(text);
  if (at === -1) return { address };
  const constraint = input.slice(at + 1).trim();
  if (constraint === "") {
    throw usageError(
      `invalid provider "${input}": the version constraint after @ is empty`,
      "Write e.g. hashicorp/aws@~>5.0, or leave out @ for the newest version.",
    );
  }
  return { address, constraint };
}
