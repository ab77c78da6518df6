import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "@tofu-oci/core";
import { RegistryClient, RemoteRepository, type RegistryClientOptions } from "@tofu-oci/core/remote";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";

// HTTP against a TLS registry and TLS against an HTTP one, on the real distribution registry:
// the error says which it is and which flag fixes it, instead of OpenSSL's text or a bare 400.

const registries = inject("registries");
const scratch = tempDir();
afterAll(() => scratch.cleanup());

async function resolveWith(host: string, options: RegistryClientOptions): Promise<unknown> {
  const client = new RegistryClient({ ...options, retry: { retries: 0 } });
  try {
    return await new RemoteRepository(client, host, "mismatch/check")
      .resolve("latest")
      .catch((error: unknown) => error);
  } finally {
    await client.close();
  }
}

describe("a registry reached with the wrong scheme", () => {
  it("HTTPS to a plain-HTTP registry: says so and names --plain-http", async () => {
    const error = await resolveWith(registries.plain.host, { plainHttp: false });
    expect(error).toMatchObject({
      code: "network",
      message: expect.stringContaining("speaks plain HTTP, not HTTPS"),
      hint: expect.stringContaining("--plain-http"),
    });
    expect((error as Error).message).not.toMatch(/ssl|version number/i);
  });

  it("plain HTTP to a TLS registry: says so and tells to drop --plain-http", async () => {
    const error = await resolveWith(registries.tls.host, { plainHttp: true });
    expect(error).toMatchObject({
      code: "network",
      message: expect.stringContaining("speaks HTTPS, and --plain-http sent it plain HTTP"),
      hint: expect.stringContaining("Drop --plain-http"),
    });
    expect(exitCodeOf(error)).toBe(5);
  });
});

describe("--ca-file", () => {
  it("refuses a file that holds no PEM certificate, before any request (exit 6)", () => {
    const notPem = join(scratch.path, "hostname");
    writeFileSync(notPem, "myhost\n");
    expect(() => new RegistryClient({ caFile: notPem })).toThrow(
      expect.objectContaining({ code: "invalid-input", message: `the CA file ${notPem} holds no PEM certificate` }),
    );
    expect(() => new RegistryClient({ caFile: registries.tls.caFile! }).close()).not.toThrow();
  });
});
