import { usageError } from "@tofu-oci/core";
import {
  parseModuleAddress,
  parseVersionConstraint,
  type ModuleAddress,
  type VersionConstraint,
} from "@tofu-oci/opentofu";

export { formatModuleAddress, type ModuleAddress } from "@tofu-oci/opentofu";

/** One `NAMESPACE/NAME/SYSTEM[@CONSTRAINT]` argument. */
export interface ModuleRequest {
  address: ModuleAddress;
  constraint?: VersionConstraint;
}

/**
 * Parses `[HOST/]NAMESPACE/NAME/SYSTEM[@CONSTRAINT]`: the address with OpenTofu's rules
 * (`parseModuleAddress` of @tofu-oci/opentofu), the constraint in OpenTofu's syntax (`~> 5.0`,
 * `>= 1.2, < 2.0`).
 * @throws TofuOciError "usage" (exit 2) naming what is wrong.
 */
export function parseModuleRequest(input: string): ModuleRequest {
  const at = input.indexOf("@");
  const request: ModuleRequest = { address: parseModuleAddress((at === -1 ? input : input.slice(0, at)).trim()) };
  if (at !== -1) {
    const constraint = input.slice(at + 1).trim();
    if (constraint === "") {
      throw usageError(
        `invalid module address "${input}": the version constraint after @ is empty`,
        "Write e.g. terraform-aws-modules/vpc/aws@~>5.0, or leave out @ for the newest version.",
      );
    }
    request.constraint = parseVersionConstraint(constraint);
  }
  return request;
}
