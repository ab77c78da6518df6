import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { REGISTRY_MODES, startRegistry, type RegistryMode, type TestRegistry } from "./registry.js";

/** What tests get through `inject("registries")`: everything but the process handle. */
export type RegistryInfo = Omit<TestRegistry, "stop" | "tokenServer">;

declare module "vitest" {
  export interface ProvidedContext {
    registries: Record<RegistryMode, RegistryInfo>;
  }
}

/**
 * vitest globalSetup: one registry per mode for the whole run, stopped at the end.
 * A failure to start is a failure of the run, never a skip.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await Promise.all(REGISTRY_MODES.map((mode) => startRegistry({ mode })));
  const registries = Object.fromEntries(
    started.map(({ stop: _stop, tokenServer: _token, ...info }) => [info.mode, info]),
  ) as Record<RegistryMode, RegistryInfo>;
  project.provide("registries", registries);
  return async () => {
    await Promise.all(started.map((registry) => registry.stop()));
  };
}
