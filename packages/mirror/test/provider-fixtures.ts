import {
  startProviderRegistry,
  uniqueRepository,
  type TestProvider,
  type TestProviderRegistry,
} from "@tofu-oci/testkit";
import { mirrorProviders, type ProvidersOptions, type ProvidersResult } from "../src/providers.js";

/** Four platforms, as the acceptance list asks. */
export const PLATFORMS = ["darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64"];

/** Two providers, several versions including a prerelease. */
export const PROVIDERS: TestProvider[] = [
  {
    namespace: "acme",
    type: "widget",
    versions: ["1.0.0", "1.1.0", "2.0.0-beta1", "2.0.0"].map((version) => ({ version, platforms: PLATFORMS })),
  },
  {
    namespace: "acme",
    type: "gadget",
    versions: ["0.1.0", "0.2.0"].map((version) => ({ version, platforms: PLATFORMS })),
  },
];

export async function startTestProviderRegistry(
  providers: TestProvider[] = PROVIDERS,
  packagesField = false,
): Promise<TestProviderRegistry> {
  return startProviderRegistry({ providers, packagesField });
}

/** A template into a fresh repository prefix of the destination registry. */
export function freshTemplate(registryHost: string, prefix = "test/mirror/providers"): string {
  return `${registryHost}/${uniqueRepository(prefix)}/\${namespace}/\${type}`;
}

/** Runs the library against a plain-HTTP destination registry, collecting warnings. */
export async function mirror(
  options: ProvidersOptions,
  env: Record<string, string> = {},
): Promise<ProvidersResult & { warnings: string[] }> {
  const warnings: string[] = [];
  const result = await mirrorProviders(
    {
      sourcePlainHttp: true,
      clientOptions: { plainHttp: true, retry: { retries: 1, minDelayMs: 10 } },
      ...options,
      hooks: { onWarning: (message) => warnings.push(message) },
    },
    { env },
  );
  return { ...result, warnings };
}

/** The sha256 values of a SHA256SUMS document, by file name. */
export function sumsByFile(document: Buffer): Map<string, string> {
  return new Map(
    document
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(/\s+/))
      .map(([sum, file]) => [file!, sum!]),
  );
}
