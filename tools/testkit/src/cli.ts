#!/usr/bin/env node
// Starts a test registry for shell use and benchmarks: prints its details as JSON, runs until
// SIGINT/SIGTERM. Usage: tofu-oci-test-registry [plain|tls|basic|token]
import { REGISTRY_MODES, startRegistry, type RegistryMode } from "./registry.js";

const mode = (process.argv[2] ?? "plain") as RegistryMode;
if (!REGISTRY_MODES.includes(mode)) {
  process.stderr.write(`usage: tofu-oci-test-registry [${REGISTRY_MODES.join("|")}]\n`);
  process.exit(2);
}
const registry = await startRegistry({ mode });
const { stop, tokenServer, ...info } = registry;
process.stdout.write(`${JSON.stringify({ ...info, tokenRealm: tokenServer?.realm })}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void stop().then(() => process.exit(0)));
}
