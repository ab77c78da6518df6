#!/usr/bin/env node
// Starts a test registry for shell use and benchmarks: prints its details as JSON, runs until
// SIGINT/SIGTERM. Usage:
//   tofu-oci-test-registry [plain|tls|basic|token]
//   tofu-oci-test-registry personality NAME [--mode plain|tls|basic|token] [--tls] [--variant V]
import { parseArgs } from "node:util";
import { PERSONALITY_NAMES, type PersonalityName } from "./personalities/catalogue.js";
import { startPersonality } from "./personalities/start-personality.js";
import { REGISTRY_MODES, startRegistry, type RegistryMode } from "./registry.js";

const usage = `usage: tofu-oci-test-registry [${REGISTRY_MODES.join("|")}]
       tofu-oci-test-registry personality <${PERSONALITY_NAMES.join("|")}> [--mode ${REGISTRY_MODES.join(
         "|",
       )}] [--tls] [--variant NAME]\n`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

function untilSignal(stop: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void stop().then(() => process.exit(0)));
  }
}

async function personality(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { mode: { type: "string" }, tls: { type: "boolean" }, variant: { type: "string" } },
  });
  const name = positionals[0] as PersonalityName;
  if (positionals.length !== 1 || !PERSONALITY_NAMES.includes(name))
    fail(`name one personality: ${PERSONALITY_NAMES.join(", ")}`);
  const mode = values.mode as RegistryMode | undefined;
  if (mode !== undefined && !REGISTRY_MODES.includes(mode)) fail(`--mode must be one of ${REGISTRY_MODES.join(", ")}`);
  const running = await startPersonality(name, { mode, tls: values.tls, variant: values.variant });
  const { stop, requests: _requests, personality: data, registry, ...info } = running;
  const registryInfo = { mode: registry.mode, url: registry.url };
  process.stdout.write(
    `${JSON.stringify({ ...info, title: data.title, registry: registryInfo, clientMustDo: data.clientMustDo })}\n`,
  );
  untilSignal(stop);
}

async function testRegistry(modeArgument: string | undefined): Promise<void> {
  const mode = (modeArgument ?? "plain") as RegistryMode;
  if (!REGISTRY_MODES.includes(mode)) fail(`unknown mode ${mode}`);
  const started = await startRegistry({ mode });
  const { stop, tokenServer, ...info } = started;
  process.stdout.write(`${JSON.stringify({ ...info, tokenRealm: tokenServer?.realm })}\n`);
  untilSignal(stop);
}

try {
  if (process.argv[2] === "personality") await personality(process.argv.slice(3));
  else await testRegistry(process.argv[2]);
} catch (error) {
  fail((error as Error).message);
}
