#!/usr/bin/env node
// The main job, end to end and with no registry: pack the example module, push it into a local
// OCI image layout (./demo-out/oci-layout), verify it as `tofu init` would, then print the
// `oci://` source and the next steps for a real registry. Run by `npm run demo` after the build;
// it imports the built packages from packages/*/dist.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const moduleDir = join(root, "examples", "modules", "network");
const outDir = join(root, "demo-out");
const zipPath = join(outDir, "network.zip");
const layoutDir = join(outDir, "oci-layout");
const TAG = "1.0.0";

const step = (n, text) => process.stderr.write(`\n[${n}/4] ${text}\n`);
const dist = (pkg, file = "index.js") => join(root, "packages", pkg, "dist", file);

try {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  step(1, `pack ${relative(root, moduleDir)}`);
  const record = await packExampleModule();
  process.stderr.write(
    `    ${relative(root, record.file)}: ${record.size} bytes, ${record.files} files, ${record.digest}\n`,
  );

  step(2, `push into the OCI layout ${relative(root, layoutDir)}:${TAG}`);
  const { push } = await import(pathToFileURL(dist("push")).href);
  const [artifact] = await push({ reference: `${layoutDir}:${TAG}`, ociLayout: true, packages: [record] });
  process.stderr.write(
    `    manifest ${artifact.digest} (${artifact.blobsCopied} blobs, ${artifact.bytesCopied} bytes written)\n`,
  );

  step(3, "verify as tofu init would");
  const verified = verifyArtifact(artifact);

  step(4, "done");
  printNextSteps(artifact, verified);
} catch (error) {
  process.stderr.write(`\ndemo failed: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ""}`);
  process.exitCode = 1;
}

/** THE ONE CALL SITE FOR PACKING: @tofu-oci/pack's library (issue 4), which returns the package record. */
async function packExampleModule() {
  const { packModule } = await import(pathToFileURL(dist("pack")).href);
  return packModule(moduleDir, { output: zipPath });
}

/**
 * THE ONE CALL SITE FOR VERIFYING: runs the tofu-oci-verify bin (issue 6 CLI contract) on the
 * layout when @tofu-oci/verify is built; otherwise says so and skips.
 */
function verifyArtifact(artifact) {
  const bin = dist("verify", "bin.js");
  if (!existsSync(bin)) {
    process.stderr.write(
      "    skipped: @tofu-oci/verify is not built yet (issue 6); the layout was written and digest-checked by push\n",
    );
    return false;
  }
  const result = spawnSync(
    process.execPath,
    [bin, "--oci-layout", `${layoutDir}@${artifact.digest}`, "--type", "module", "--format", "text"],
    {
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (result.status !== 0) throw new Error(`tofu-oci-verify failed with exit code ${result.status}`);
  return true;
}

function printNextSteps(artifact, verified) {
  const zip = relative(root, zipPath);
  const layout = relative(root, layoutDir);
  const source = `oci://REGISTRY/modules/network?digest=${artifact.digest}`;
  process.stdout.write(
    [
      "",
      `Module packed, pushed${verified ? ", verified" : ""}: ${layout}:${TAG} = ${artifact.digest}`,
      "",
      "The digest stays the same in any registry, so once it is pushed there this is the source to pin:",
      `  module "network" {`,
      `    source = "${source}"`,
      "  }",
      "",
      "Next steps for a real registry (replace REGISTRY, e.g. ghcr.io/you):",
      `  node packages/cli/dist/bin.js push REGISTRY/modules/network:${TAG} ${zip}`,
      `  # or copy the layout as is: node packages/cli/dist/bin.js mirror copy --from-oci-layout ${layout}:${TAG} REGISTRY/modules/network:${TAG}`,
      `  # the push prints the exact source = "oci://REGISTRY/modules/network?digest=..." to paste`,
      `  tofu init   # OpenTofu >= 1.10 installs it from the oci:// source`,
      "",
    ].join("\n"),
  );
}
