import { describe, expect, it } from "vitest";
import {
  NULL_3_1_0_SHA256SUMS,
  NULL_3_1_0_SIGNATURE_BASE64,
  TESTING_PUBLIC_KEY,
} from "../test/fixtures/opentofu-gpg-vector.js";
import { checkSignature } from "./signature.js";

const document = Buffer.from(NULL_3_1_0_SHA256SUMS);
const signature = Buffer.from(NULL_3_1_0_SIGNATURE_BASE64, "base64");
const beforeExpiry = new Date("2025-01-01T00:00:00Z");

async function otherKey(): Promise<string> {
  const openpgp = await import("openpgp");
  const { publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "other" }],
    format: "armored",
  });
  return publicKey;
}

describe("checkSignature with OpenTofu's GPG test vector (package_authentication_test.go)", () => {
  it("accepts the null 3.1.0 SHA256SUMS signature and reports the primary key ID", async () => {
    const verdict = await checkSignature(document, signature, [TESTING_PUBLIC_KEY], {
      hostname: "registry.example.com",
      now: beforeExpiry,
    });
    expect(verdict).toMatchObject({ ok: true, keyId: "34365D9472D7468F" });
    expect(verdict.warning).toBeUndefined();
  });

  it("tries the keys in turn: an unknown issuer moves on to the next key", async () => {
    const verdict = await checkSignature(document, signature, [await otherKey(), TESTING_PUBLIC_KEY], {
      hostname: "registry.example.com",
      now: beforeExpiry,
    });
    expect(verdict).toMatchObject({ ok: true, keyId: "34365D9472D7468F" });
  });

  it("refuses a changed document", async () => {
    const changed = Buffer.from(NULL_3_1_0_SHA256SUMS.replace("fea4", "fea5"));
    const verdict = await checkSignature(changed, signature, [TESTING_PUBLIC_KEY], {
      hostname: "registry.example.com",
      now: beforeExpiry,
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(/signature is invalid/);
  });

  it("refuses a signature by a key the registry does not list", async () => {
    const verdict = await checkSignature(document, signature, [await otherKey()], {
      hostname: "registry.example.com",
      now: beforeExpiry,
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(/unknown issuer B0B441097685B676/);
  });

  it("refuses an armored signature where a binary one is required, and an undecodable key", async () => {
    expect(
      (
        await checkSignature(document, Buffer.from("-----BEGIN PGP SIGNATURE-----\n"), [TESTING_PUBLIC_KEY], {
          hostname: "h",
        })
      ).ok,
    ).toBe(false);
    expect((await checkSignature(document, signature, ["not a key"], { hostname: "h" })).message).toMatch(
      /cannot be decoded/,
    );
  });

  it("accepts no keys only from registry.opentofu.org, with a warning, unless validation is enforced", async () => {
    const opentofu = await checkSignature(document, signature, [], { hostname: "registry.opentofu.org" });
    expect(opentofu.ok).toBe(true);
    expect(opentofu.warning).toMatch(/not checked/);
    expect(
      (await checkSignature(document, signature, [], { hostname: "registry.opentofu.org", enforceValidation: true }))
        .ok,
    ).toBe(false);
    expect((await checkSignature(document, signature, [], { hostname: "registry.example.com" })).ok).toBe(false);
  });

  it("passes an expired key with a warning, and fails it when expiry is enforced (key expired 2026-04-18)", async () => {
    const later = new Date("2027-01-01T00:00:00Z");
    const lenient = await checkSignature(document, signature, [TESTING_PUBLIC_KEY], {
      hostname: "registry.example.com",
      now: later,
    });
    expect(lenient.ok).toBe(true);
    expect(lenient.warning).toMatch(/expired on 2026-04-1/);
    const strict = await checkSignature(document, signature, [TESTING_PUBLIC_KEY], {
      hostname: "registry.example.com",
      now: later,
      enforceExpiration: true,
    });
    expect(strict.ok).toBe(false);
  });
});
