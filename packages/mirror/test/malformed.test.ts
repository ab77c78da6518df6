import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, it } from "vitest";
import { mirrorFails } from "./helpers.js";

const scratch = tempDir("tofu-oci-mirror-malformed-");
afterAll(() => scratch.cleanup());
const notATar = join(scratch.path, "not-a-bundle.tar");
writeFileSync(notATar, "this is not a tar file, just text that is long enough to not be a header".repeat(20));

// Nothing listens on port 1: each case must fail on its local input before any request.
const nowhere = "127.0.0.1:1";

describe("malformed input: exit code and one error line, before any network request", () => {
  it.each<[string, string[], number, RegExp]>([
    ["a bad SRC reference", ["copy", "Not A Ref", `${nowhere}/b:1`], 2, /invalid reference "Not A Ref"/],
    ["SRC without a tag or digest", ["copy", `${nowhere}/a`, `${nowhere}/b`], 2, /names no tag or digest/],
    ["DST with a digest", ["copy", `${nowhere}/a:1`, `${nowhere}/b@sha256:${"0".repeat(64)}`], 2, /names a digest/],
    [
      "a bad --platform",
      ["copy", `${nowhere}/a:1`, `${nowhere}/b`, "--platform", "linux-amd64"],
      2,
      /invalid platform "linux-amd64"/,
    ],
    [
      "--all-tags with a tag",
      ["copy", `${nowhere}/a:1`, `${nowhere}/b`, "--all-tags"],
      2,
      /--all-tags copies every tag/,
    ],
    [
      "--shard without --all-tags",
      ["copy", `${nowhere}/a:1`, `${nowhere}/b`, "--shard", "1/2"],
      2,
      /--shard splits the tags of --all-tags/,
    ],
    [
      "a --shard that is not K/N",
      ["copy", `${nowhere}/a`, `${nowhere}/b`, "--all-tags", "--shard", "2of4"],
      2,
      /invalid --shard "2of4"/,
    ],
    [
      "a --shard past its count",
      ["copy", `${nowhere}/a`, `${nowhere}/b`, "--all-tags", "--shard", "5/4"],
      2,
      /invalid --shard "5\/4"/,
    ],
    [
      "a --shard of 0",
      ["copy", `${nowhere}/a`, `${nowhere}/b`, "--all-tags", "--shard", "0/4"],
      2,
      /invalid --shard "0\/4"/,
    ],
    [
      "providers with a bad --shard",
      ["providers", "acme/thing", "--to", `${nowhere}/\${namespace}/\${type}`, "--shard", "3/2"],
      2,
      /invalid --shard "3\/2"/,
    ],
    [
      "an untagged layout destination",
      ["copy", `${nowhere}/a@sha256:${"1".repeat(64)}`, join(scratch.path, "layout"), "--to-oci-layout"],
      2,
      /needs a tag/,
    ],
    [
      "a missing source layout",
      ["copy", `${join(scratch.path, "missing")}:1`, `${nowhere}/b`, "--from-oci-layout"],
      3,
      /is not an OCI image layout/,
    ],
    ["export without -o", ["export", `${nowhere}/a:1`], 2, /Missing required argument: output/],
    [
      "export without a tag",
      ["export", `${nowhere}/a`, "-o", join(scratch.path, "b.tar")],
      2,
      /names no tag or digest/,
    ],
    [
      "export into a missing directory",
      ["export", `${nowhere}/a:1`, "-o", join(scratch.path, "no", "b.tar")],
      2,
      /is not a directory/,
    ],
    [
      "import of a missing file",
      ["import", join(scratch.path, "none.tar"), "--to", `${nowhere}/a`],
      2,
      /is not a file/,
    ],
    [
      "import of something that is not a tar",
      ["import", notATar, "--to", `${nowhere}/a`],
      6,
      /is not a readable tar file|is not an OCI layout bundle/,
    ],
    [
      "import with an unknown placeholder",
      ["import", notATar, "--to", `${nowhere}/\${namespace}`],
      2,
      /unknown placeholder \$\{namespace\}/,
    ],
    ["import to a digest", ["import", notATar, "--to", `${nowhere}/a@sha256:${"2".repeat(64)}`], 2, /names a digest/],
    ["a bad module address", ["modules", "acme/net", "--to", `${nowhere}/a`], 2, /invalid module address "acme\/net"/],
    [
      "a bad module constraint",
      ["modules", "acme/net/aws@^1.0", "--to", `${nowhere}/a`],
      2,
      /invalid version constraint "\^1.0"/,
    ],
    [
      "a module destination with a tag",
      ["modules", "acme/net/aws", "--to", `${nowhere}/a:1.0.0`],
      2,
      /names more than a repository/,
    ],
    ["an unknown command", ["mirror-everything"], 2, /Unknown|unknown/],
  ])("%s", async (_name, args, code, message) => {
    await mirrorFails(args, code, message);
  });
});
