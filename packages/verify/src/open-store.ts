import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import type { ArtifactStore } from "./artifact-store.js";
import type { Location } from "./inputs.js";

/** Opens the repository or OCI layout of an input; modules load on demand. */
export async function openStore(location: Location, clientOptions: RegistryClientOptions = {}): Promise<ArtifactStore> {
  if (location.kind === "layout") {
    const [{ OciLayout }, { TargetStore }] = await Promise.all([import("@tofu-oci/core/layout"), import("./target-store.js")]);
    return new TargetStore(await OciLayout.open(location.path));
  }
  const { RemoteStore } = await import("./remote-store.js");
  return new RemoteStore(location.registry, location.repository, clientOptions);
}
