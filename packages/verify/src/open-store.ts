import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import type { ArtifactStore } from "./artifact-store.js";
import type { Locator } from "@tofu-oci/core";

/** Opens the repository or OCI layout of an input; modules load on demand. */
export async function openStore(location: Locator, clientOptions: RegistryClientOptions = {}): Promise<ArtifactStore> {
  if (location.kind === "layout") {
    const [{ OciLayout }, { TargetStore }] = await Promise.all([
      import("@tofu-oci/core/layout"),
      import("./target-store.js"),
    ]);
    return new TargetStore(await OciLayout.open(location.repository));
  }
  const { RemoteStore } = await import("./remote-store.js");
  return new RemoteStore(location.registry, location.repository, clientOptions);
}
