import { describe, expect, it } from "vitest";
import { exitCodeOf, RegistryError } from "../errors.js";
import { sha256Digest } from "../digest.js";
import { zipManifest } from "../../test/support/artifacts.js";
import { mediaTypeRefusal, notFoundOrDenied, pushDenied, registryWords } from "./registry-refusals.js";

const zip = Buffer.from("PK zip");
const module = zipManifest({ digest: sha256Digest(zip), size: zip.length }, { title: "m.zip" }).manifest;

describe("mediaTypeRefusal", () => {
  it("names the refused type with GitLab's own words (registry-quirks: gitlab-mediatype-allowlist)", () => {
    const gitlab = new RegistryError("network", "pushing manifest: HTTP 400", 400, [
      {
        code: "MANIFEST_INVALID",
        message: "manifest invalid",
        detail: "unknown media type: application/vnd.opentofu.modulepkg",
      },
    ]);
    const refusal = mediaTypeRefusal(gitlab, module, "registry.gitlab.com/g/p")!;
    expect(refusal.message).toBe(
      "registry.gitlab.com/g/p refused the manifest because of application/vnd.opentofu.modulepkg: HTTP 400 " +
        "(MANIFEST_INVALID: manifest invalid: unknown media type: application/vnd.opentofu.modulepkg)",
    );
    expect(refusal.hint).toMatch(/GitLab: the container registry's media-type allow-list must have them/);
    expect(exitCodeOf(refusal)).toBe(5);
  });

  it("names it in Quay's schema error, whose allowed list is cut short (registry-quirks: quay-artifact-allowlist)", () => {
    const allowed = Array.from({ length: 40 }, (_, i) => `'application/vnd.example.layer.${i}'`).join(", ");
    const quay = new RegistryError("network", "pushing manifest: HTTP 400", 400, [
      {
        code: "MANIFEST_INVALID",
        message: "manifest invalid",
        detail: { message: `manifest data does not match schema: 'archive/zip' is not one of [${allowed}]` },
      },
    ]);
    const refusal = mediaTypeRefusal(quay, module, "quay.io/o/r")!;
    expect(refusal.message).toMatch(
      /^quay\.io\/o\/r refused the manifest because of archive\/zip: HTTP 400 \(MANIFEST_INVALID: .*'archive\/zip' is not one of/,
    );
    expect(refusal.message.length).toBeLessThan(700);
    expect(refusal.hint).toMatch(/ALLOWED_OCI_ARTIFACT_TYPES/);
  });

  it("reads ECR's 405 validation error as a refusal of the manifest (registry-quirks: ecr-manifest-validation-405)", () => {
    const ecr = new RegistryError("network", "pushing manifest: HTTP 405", 405, [
      {
        code: "UNSUPPORTED",
        message: "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
      },
    ]);
    expect(mediaTypeRefusal(ecr, module, "1.dkr.ecr.us-east-1.amazonaws.com/r")!.message).toMatch(
      /refused the manifest because of application\/vnd\.opentofu\.modulepkg, archive\/zip/,
    );
  });

  it("leaves other failures alone", () => {
    const missingBlob = new RegistryError("network", "x", 400, [
      { code: "MANIFEST_BLOB_UNKNOWN", message: "blob unknown to registry" },
    ]);
    expect(mediaTypeRefusal(missingBlob, module, "r/x")).toBeUndefined();
    expect(mediaTypeRefusal(new RegistryError("network", "x", 500, []), module, "r/x")).toBeUndefined();
  });
});

describe("registry words and access errors", () => {
  it("quotes codes, messages and details on one line without control characters", () => {
    expect(registryWords([{ code: "DENIED", message: "no\r\naccess\u001b[31m", detail: { reason: "x" } }])).toBe(
      'DENIED: no access [31m: {"reason":"x"}',
    );
  });

  it("reports a 401 or 403 read as not found or not authorised (exit 3), a refused write as unauthorized (exit 4)", () => {
    const denied = new RegistryError("unauthorized", "resolving r.example/a:1: HTTP 403 (DENIED: denied)", 403, [
      { code: "DENIED", message: "denied" },
    ]);
    const read = notFoundOrDenied(denied, "r.example");
    expect([exitCodeOf(read), read.message]).toEqual([
      3,
      "resolving r.example/a:1: HTTP 403 (DENIED: denied): not found, or not authorised to read it",
    ]);
    expect(read.hint).toMatch(/tofu-oci auth login r\.example/);
    const write = pushDenied(denied, "r.example/a");
    expect([exitCodeOf(write), write.message]).toEqual([
      4,
      "resolving r.example/a:1: HTTP 403 (DENIED: denied): not authorised to push to r.example/a",
    ]);
  });
});
