import { TofuOciError } from "@tofu-oci/core";

/** Turns a credential helper's failure during login or logout into a user error with a hint. */
export function helperFailure(helper: string, action: "storing" | "removing"): (error: unknown) => never {
  return (error) => {
    throw new TofuOciError("unauthorized", `${action} credentials failed: ${(error as Error).message}`, {
      hint: `Check that docker-credential-${helper} is installed and set up (for pass: gpg key and pass init).`,
      cause: error,
    });
  };
}
