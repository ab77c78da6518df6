import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";
import { parseRecords, runBin, uniqueRepository, type BinResult, type RegistryInfo } from "@tofu-oci/testkit";
import { expect } from "vitest";

/** A client and repositories on one test registry (plain HTTP). */
export function registryHelpers(registry: RegistryInfo) {
  const client = new RegistryClient({ plainHttp: true });
  return {
    client,
    repository: (name: string) => new RemoteRepository(client, registry.host, uniqueRepository(`mirror/${name}`)),
    close: () => client.close(),
  };
}

/** Runs tofu-oci-mirror from dist with JSON output and returns the parsed records. */
export async function mirror(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<BinResult & { records: Array<Record<string, unknown>> }> {
  const result = await runBin("mirror", [...args, "--format", "json"], { ...options, timeoutMs: 120_000 });
  return { ...result, records: result.code === 0 ? parseRecords(result.stdout) : [] };
}

/** Expects success and returns the records. */
export async function mirrorOk(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<Array<Record<string, unknown>>> {
  const result = await mirror(args, options);
  expect(result.stderr, result.stderr).not.toMatch(/error:/);
  expect(result.code).toBe(0);
  return result.records;
}

/** Expects a failure with `code` and exactly one error line (plus an optional hint) on stderr. */
export async function mirrorFails(args: string[], code: number, message: RegExp): Promise<BinResult> {
  const result = await runBin("mirror", args, { timeoutMs: 60_000 });
  expect(result.code, result.stderr).toBe(code);
  const errors = result.stderr.split("\n").filter((line) => line.startsWith("error:"));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result;
}

/** Runs tofu-oci-verify on a plain-HTTP registry reference and expects an ok verification of `type`. */
export async function verifyOk(reference: string, type: "module" | "provider"): Promise<void> {
  const result = await runBin("verify", [reference, "--type", type, "--plain-http", "--format", "json"]);
  const records = parseRecords(result.stdout);
  expect(records, result.stderr).toEqual([expect.objectContaining({ kind: "verification", ok: true, type })]);
  expect(result.code).toBe(0);
}
