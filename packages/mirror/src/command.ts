import { readPackageVersion, type CliSpec } from "@tofu-oci/cli-kit";
import { exportCommand, importCommand } from "./bundle-commands.js";
import { copyCommand } from "./copy-command.js";
import { modulesCommand } from "./modules-command.js";
import { providersCommand } from "./providers-command.js";

/** The tofu-oci-mirror command line; the umbrella runs it as `tofu-oci mirror`. */
export const cli: CliSpec = {
  scriptName: "tofu-oci-mirror",
  version: readPackageVersion(import.meta.url),
  commands: [copyCommand, exportCommand, importCommand, modulesCommand, providersCommand],
  epilogue: [
    "Examples:",
    "  $0 copy registry.example.com/providers/acme/thing:1.2.0 mirror.internal/acme/thing --recursive",
    "  $0 copy registry.example.com/modules/net --all-tags --to-oci-layout ./air-gap",
    "  $0 export registry.example.com/modules/net:1.0.0 registry.example.com/providers/acme/thing:1.2.0 -o bundle.tar",
    "  $0 import bundle.tar --to 'mirror.internal/${repository}'",
    "  $0 modules terraform-aws-modules/vpc/aws@'~> 5.0' --to mirror.internal/modules/vpc",
    "  $0 providers hashicorp/aws@'~> 5.0' --latest --platform linux_amd64 --to 'mirror.internal/providers/${namespace}/${type}' --print-config",
  ].join("\n"),
};
