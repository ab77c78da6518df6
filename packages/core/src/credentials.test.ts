import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { dockerConfigCredentials } from "./credentials.js";
import { exitCodeOf } from "./errors.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

describe("dockerConfigCredentials", () => {
  it("reads auths entries: base64 auth, identity tokens, URL keys", async () => {
    const path = join(scratch.path, "config.json");
    writeFileSync(
      path,
      JSON.stringify({
        auths: {
          "registry.example.com": { auth: Buffer.from("alice:pa:ss").toString("base64") },
          "https://index.example.org/v1/": { identitytoken: "refresh-me" },
        },
      }),
    );
    const provider = dockerConfigCredentials(path);
    expect(await provider("registry.example.com", "a")).toEqual({ username: "alice", password: "pa:ss" });
    expect(await provider("index.example.org", "a")).toEqual({ refreshToken: "refresh-me" });
    expect(await provider("other.example.com", "a")).toBeUndefined();
  });

  it("treats a missing file as anonymous and a broken one as exit code 6", async () => {
    expect(await dockerConfigCredentials(join(scratch.path, "absent.json"))("h", "r")).toBeUndefined();
    const broken = join(scratch.path, "broken.json");
    writeFileSync(broken, "{ nope");
    expect(exitCodeOf(await dockerConfigCredentials(broken)("h", "r").catch((e: unknown) => e))).toBe(6);
  });
});
