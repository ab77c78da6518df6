import { join } from "node:path";
import type { BadFiles } from "./support/bad-input-fixtures.js";
import type { Bin } from "./support/user.js";

/** One malformed input and the failure docs/contract/design.md §2.2 documents for it. */
export interface BadInputCase {
  name: string;
  bin: Bin;
  args: string[];
  stdin?: string;
  /** Files to create in the user's working directory (relative path -> content). */
  cwdFiles?: Record<string, string>;
  /** Files to create in the user's home directory. */
  homeFiles?: Record<string, string>;
  env?: Record<string, string>;
  code: number;
  message: RegExp;
  /** Default json: one error record on stdout. */
  format?: "json" | "text";
}

// Nothing listens on port 1: a bin that sent a request would fail with exit code 5, so every
// other code proves that the input was refused before the first network request.
const H = "127.0.0.1:1";
const BAD_RC = { ".tofu-ocirc.json": "{ not json" };
const UNKNOWN_KEY_RC = { ".tofu-ocirc.json": JSON.stringify({ retry: 3 }) };
const BAD_TOFURC = { ".tofurc": 'oci_credentials "127.0.0.1:1" {\n  username = "u"\n' };
const PROVIDER = ["--provider", "example.com/acme/thing", "--version", "1.0.0"];
const notJson = "{not json\n";
const REQUIRES = { "main.tf": 'terraform {\n  required_providers {\n    thing = { source = "example.com/acme/thing" }\n  }\n}\n' };
const OCI_SOURCE = { "main.tf": `module "net" {\n  source = "oci://${H}/net?tag=1.0.0" # tofu-oci: ~> 1.0\n}\n` };
const verificationRecord = `${JSON.stringify({ kind: "verification", ok: true })}\n`;
const packageRecord = (f: BadFiles) => `${JSON.stringify({ kind: "package", type: "module", file: f.moduleZip, digest: `sha256:${"0".repeat(64)}`, size: 1, mediaType: "archive/zip", files: 1 })}\n`;

/** The table: at least 60 cases over pack, push, verify, auth, mirror, deps and the umbrella. */
export function badInputCases(f: BadFiles): BadInputCase[] {
  return [
    // tofu-oci-pack
    { name: "pack: an unknown flag", bin: "pack", args: ["module", f.moduleDir, "--bogus"], code: 2, message: /unknown option --bogus$/ },
    { name: "pack: a missing module directory", bin: "pack", args: ["module", "no-such-dir"], code: 6, message: /no-such-dir does not exist/ },
    { name: "pack: a file instead of a directory", bin: "pack", args: ["module", f.moduleZip], code: 6, message: /is not a directory/ },
    { name: "pack: no .tf file at the root", bin: "pack", args: ["module", f.noTfDir], code: 6, message: /has no \.tf/ },
    { name: "pack: a symlink leading outside the module", bin: "pack", args: ["module", f.escapingLinkDir, "-o", "x.zip"], code: 6, message: /outside/ },
    { name: "pack: -o under a file", bin: "pack", args: ["module", f.moduleDir, "-o", join(f.moduleZip, "x.zip")], code: 6, message: /is not a directory/ },
    { name: "pack: a config file with an unknown key (every command checks it)", bin: "pack", args: ["module", f.moduleDir, "--dry-run"], cwdFiles: { ".tofu-ocirc": JSON.stringify({ bogus: 1 }) }, code: 6, message: /unknown key "bogus"/ },
    { name: "pack: --exclude without its pattern", bin: "pack", args: ["module", f.moduleDir, "--dry-run", "--exclude"], code: 2, message: /Not enough arguments following: exclude/ },
    { name: "pack: -o together with --out-dir", bin: "pack", args: ["module", f.moduleDir, "-o", "x.zip", "--out-dir", "out"], code: 2, message: /mutually exclusive/ },
    { name: "pack: SOURCE_DATE_EPOCH that is not a number", bin: "pack", args: ["module", f.moduleDir], env: { SOURCE_DATE_EPOCH: "yesterday" }, code: 2, message: /SOURCE_DATE_EPOCH/ },
    { name: "pack: provider without --provider", bin: "pack", args: ["provider", "--version", "1.0.0", f.release.slip], code: 2, message: /Missing required argument: provider/ },
    { name: "pack: an invalid provider address", bin: "pack", args: ["provider", "--provider", "acme thing", "--version", "1.0.0", f.release.slip], code: 2, message: /provider/ },
    { name: "pack: a truncated release zip", bin: "pack", args: ["provider", ...PROVIDER, f.release.truncated], code: 6, message: /not a valid zip/ },
    { name: "pack: a zip bomb by ratio", bin: "pack", args: ["provider", ...PROVIDER, f.release.ratioBomb], code: 6, message: /expands \d+x/ },
    { name: "pack: a zip bomb by size", bin: "pack", args: ["provider", ...PROVIDER, f.release.sizeBomb], code: 6, message: /unpacks to more than/ },
    { name: "pack: a ../ entry in a release zip", bin: "pack", args: ["provider", ...PROVIDER, f.release.slip], code: 6, message: /"\.\." component/ },
    { name: "pack: an absolute entry in a release zip", bin: "pack", args: ["provider", ...PROVIDER, f.release.absolute], code: 6, message: /absolute path/ },
    { name: "pack: a release zip without the executable", bin: "pack", args: ["provider", ...PROVIDER, f.release.noExecutable], code: 6, message: /has no terraform-provider-thing\* executable/ },

    // tofu-oci-push
    { name: "push: a reference with a space", bin: "push", args: [`${H}/a b:1`, f.moduleZip], code: 2, message: /invalid/ },
    { name: "push: a tag longer than 128 characters", bin: "push", args: [`${H}/repo:${"t".repeat(129)}`, f.moduleZip], code: 2, message: /invalid tag/ },
    { name: "push: an unknown flag", bin: "push", args: [`${H}/repo:1`, f.moduleZip, "--bogus"], code: 2, message: /unknown option --bogus$/ },
    { name: "push: --concurrency 0", bin: "push", args: [`${H}/repo:1`, f.moduleZip, "--concurrency", "0"], code: 2, message: /--concurrency must be a positive integer/ },
    { name: "push: a truncated zip", bin: "push", args: [`${H}/repo:1`, f.truncatedZip], code: 6, message: /not a valid zip/ },
    { name: "push: a zip bomb by ratio", bin: "push", args: [`${H}/repo:1`, f.ratioBombZip], code: 6, message: /expands \d+x/ },
    { name: "push: a zip bomb by size", bin: "push", args: [`${H}/repo:1`, f.sizeBombZip], code: 6, message: /unpacks to more than/ },
    // Issue 22, item 7: these were published (exit 0); push now runs the entry checks first.
    { name: "push: a module zip with a ../ entry", bin: "push", args: [`${H}/repo:1`, f.hostileZip.slip], code: 6, message: /"\.\." component/ },
    { name: "push: a module zip with a ..\\ entry", bin: "push", args: [`${H}/repo:1`, f.hostileZip.backslashSlip], code: 6, message: /backslash/ },
    { name: "push: a module zip with a symbolic link", bin: "push", args: [`${H}/repo:1`, f.hostileZip.symlink], code: 6, message: /symbolic link/ },
    { name: "push: a module zip with two entries of one name", bin: "push", args: [`${H}/repo:1`, f.hostileZip.duplicate], code: 6, message: /same path/ },
    { name: "push: a module zip whose sizes lie", bin: "push", args: [`${H}/repo:1`, f.hostileZip.lyingSize], code: 6, message: /too many bytes/ },
    { name: "push: NDJSON cut in the middle of a line", bin: "push", args: [`${H}/repo:1`], stdin: '{"kind":"package","type":"mod', code: 6, message: /line 1 is not JSON/ },
    { name: "push: only a record of kind artifact", bin: "push", args: [`${H}/repo:1`], stdin: `${JSON.stringify({ kind: "artifact", type: "module" })}\n`, code: 6, message: /no package records on stdin/, format: "text" },
    { name: "push: a zip piped in where records belong", bin: "push", args: [`${H}/repo:1`, "-"], stdin: "PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000binary\u0000bytes\n", code: 6, message: /line 1 is not JSON: \(a zip archive: give the zip file as an argument instead\)$/ },
    { name: "push: a reference whose first part is not a host, and no registry configured", bin: "push", args: ["modules/net:1.0.0", f.moduleZip], code: 2, message: /"modules" in modules\/net:1\.0\.0 is not a registry host/ },
    { name: "push: a --ca-file without a certificate", bin: "push", args: [`${H}/repo:1`, f.moduleZip, "--ca-file", "hostname"], cwdFiles: { hostname: "myhost\n" }, code: 6, message: /the CA file .*hostname holds no PEM certificate/ },
    { name: "push: a .tofu-ocirc that is broken JSON", bin: "push", args: [`${H}/repo:1`, f.moduleZip], cwdFiles: { ".tofu-ocirc": '{"plainHttp": true,' }, code: 6, message: /JSON Error in .*\.tofu-ocirc/ },
    { name: "push: a misspelt option", bin: "push", args: [`${H}/repo:1`, f.moduleZip, "--tga", "x"], code: 2, message: /unknown option --tga; did you mean --tag\?$/ },
    { name: "push: a package record lacking its fields", bin: "push", args: [`${H}/repo:1`], stdin: `${JSON.stringify({ kind: "package", type: "module" })}\n`, code: 6, message: /record/ },
    { name: "push: a config file with a syntax error", bin: "push", args: [`${H}/repo:1`, f.moduleZip], cwdFiles: BAD_RC, code: 6, message: /cannot read the tofu-oci config file/ },
    { name: "push: a config file with an unknown key", bin: "push", args: [`${H}/repo:1`, f.moduleZip], cwdFiles: UNKNOWN_KEY_RC, code: 6, message: /unknown key "retry"/ },
    { name: "push: a CLI config file with a syntax error", bin: "push", args: [`${H}/repo:1`, f.moduleZip], homeFiles: BAD_TOFURC, code: 6, message: /problems with the CLI configuration/ },
    { name: "push: a --registry-config that is not JSON", bin: "push", args: [`${H}/repo:1`, f.moduleZip, "--registry-config", "auth.json"], cwdFiles: { "auth.json": "{" }, code: 6, message: /auth\.json/ },
    { name: "push: --oci-layout with a digest", bin: "push", args: [`layout@sha256:${"a".repeat(64)}`, f.moduleZip, "--oci-layout"], code: 2, message: /cannot push to a digest/ },
    { name: "push: attach of a missing file", bin: "push", args: ["attach", `${H}/repo:1`, "missing.json", "--artifact-type", "x/y"], code: 6, message: /missing\.json/, format: "text" },

    // tofu-oci-verify
    { name: "verify: an unsupported oci:// argument", bin: "verify", args: [`oci://${H}/repo?ref=1`], code: 2, message: /unsupported argument "ref"/ },
    { name: "verify: an unknown flag", bin: "verify", args: [`${H}/repo:1`, "--bogus"], code: 2, message: /unknown option --bogus$/ },
    { name: "verify: records that are not JSON", bin: "verify", args: [], stdin: notJson, code: 6, message: /line 1 is not JSON/ },
    { name: "verify: only a verification record on stdin", bin: "verify", args: ["-"], stdin: verificationRecord, code: 6, message: /no artifact records on stdin/, format: "text" },
    { name: "verify: --platform without its value, before REF", bin: "verify", args: ["--platform", `${H}/repo:1`], code: 2, message: /Not enough arguments following: platform|invalid platform/ },
    { name: "verify: an artifact record lacking fields", bin: "verify", args: [], stdin: `${JSON.stringify({ kind: "artifact", type: "module" })}\n`, code: 6, message: /lacks type, registry, repository or reference/ },
    { name: "verify: a bad --platform", bin: "verify", args: [`${H}/repo:1`, "--platform", "linux"], code: 2, message: /invalid platform "linux"/ },
    { name: "verify: a lock file with a syntax error", bin: "verify", args: [`${H}/repo:1`, "--lockfile", f.badLockFile], code: 6, message: /bad\.terraform\.lock\.hcl/ },
    { name: "verify: a missing lock file", bin: "verify", args: [`${H}/repo:1`, "--lockfile", "missing.lock.hcl"], code: 6, message: /cannot read the lock file .*missing\.lock\.hcl/ },
    { name: "verify: --platform with --type module", bin: "verify", args: [`${H}/repo:1`, "--type", "module", "--platform", "linux_amd64"], code: 2, message: /apply to providers/ },
    { name: "verify: a bad --provider", bin: "verify", args: [`${H}/repo:1`, "--provider", "not/a/provider/address"], code: 2, message: /invalid --provider/ },
    { name: "verify: --extract into a directory that is not empty", bin: "verify", args: [`${H}/repo:1`, "--extract", "out"], cwdFiles: { "out/keep.txt": "x" }, code: 2, message: /exists and is not an empty directory/ },
    { name: "verify: a config file with a syntax error", bin: "verify", args: [`${H}/repo:1`], cwdFiles: BAD_RC, code: 6, message: /cannot read the tofu-oci config file/ },
    { name: "verify: a CLI config file with a syntax error", bin: "verify", args: [`${H}/repo:1`], homeFiles: BAD_TOFURC, code: 6, message: /problems with the CLI configuration/ },
    { name: "verify: --extract of a module zip that is a zip bomb", bin: "verify", args: [f.layout.ratioBomb, "--oci-layout", "--extract", "out"], code: 1, message: /would not install/ },
    { name: "verify: a module zip with a ../ entry", bin: "verify", args: [f.layout.slip, "--oci-layout"], code: 1, message: /would not install/ },
    { name: "verify: a truncated module zip", bin: "verify", args: [f.layout.truncated, "--oci-layout"], code: 1, message: /would not install/, format: "text" },
    // Issue 22, items 3 and 9: a lying zip crashed verify (exit 70); a digest that is a path was
    // opened as one (leaking the file's size); a FIFO blob hung verify beyond SIGINT.
    { name: "verify: a module zip whose sizes lie", bin: "verify", args: [f.layout.lyingSize, "--oci-layout"], code: 1, message: /would not install/ },
    { name: "verify: a layer digest that is a path out of the layout", bin: "verify", args: [f.layout.escapingDigest, "--oci-layout"], code: 1, message: /would not install/ },
    { name: "verify: a layer blob that is a FIFO", bin: "verify", args: [f.layout.fifoBlob, "--oci-layout"], code: 1, message: /would not install/ },

    // tofu-oci-auth
    { name: "auth: an invalid reference", bin: "auth", args: ["resolve", "a.io/UPPER/x"], code: 2, message: /invalid repository name/ },
    { name: "auth: --password with --password-stdin", bin: "auth", args: ["login", H, "-u", "u", "--password", "p", "--password-stdin"], stdin: "p", code: 2, message: /either --password or --password-stdin/ },
    { name: "auth: token for an invalid reference", bin: "auth", args: ["token", `${H}/a b`], code: 2, message: /invalid/ },
    { name: "auth: an unknown command", bin: "auth", args: ["frobnicate"], code: 2, message: /Unknown argument: frobnicate|unknown/i },
    { name: "auth: a config file with a syntax error", bin: "auth", args: ["token", `${H}/repo`], cwdFiles: BAD_RC, code: 6, message: /cannot read the tofu-oci config file/ },
    { name: "auth: a JSON CLI config with a syntax error", bin: "auth", args: ["resolve", `${H}/repo`], homeFiles: { ".terraform.d/oci.tfrc.json": '{"oci_credentials": ' }, code: 6, message: /CLI configuration/, format: "text" },

    // tofu-oci-mirror
    { name: "mirror: copy with an unknown flag", bin: "mirror", args: ["copy", `${H}/a:1`, `${H}/b`, "--bogus"], code: 2, message: /unknown option --bogus$/ },
    { name: "mirror: copy with an invalid tag", bin: "mirror", args: ["copy", `${H}/a:bad!tag`, `${H}/b`], code: 2, message: /invalid/ },
    { name: "mirror: copy with a config file with a syntax error", bin: "mirror", args: ["copy", `${H}/a:1`, `${H}/b`], cwdFiles: BAD_RC, code: 6, message: /cannot read the tofu-oci config file/ },
    { name: "mirror: copy with a CLI config file with a syntax error", bin: "mirror", args: ["copy", `${H}/a:1`, `${H}/b`], homeFiles: BAD_TOFURC, code: 6, message: /problems with the CLI configuration/ },
    { name: "mirror: import of a bundle with a symlink", bin: "mirror", args: ["import", f.tar.symlink, "--to", `${H}/a`], code: 6, message: /is a symlink/ },
    { name: "mirror: import of a truncated bundle", bin: "mirror", args: ["import", f.tar.truncated, "--to", `${H}/a`], code: 6, message: /not a readable tar file|truncated|not an OCI layout bundle/ },
    { name: "mirror: import of a bundle with a ../ entry", bin: "mirror", args: ["import", f.tar.slip, "--to", `${H}/a`], code: 6, message: /not an OCI layout bundle/ },
    { name: "mirror: import of a bundle with an absolute entry", bin: "mirror", args: ["import", f.tar.absolute, "--to", `${H}/a`], code: 6, message: /not an OCI layout bundle/, format: "text" },
    { name: "mirror: providers with a lock file that is not HCL", bin: "mirror", args: ["providers", "--lockfile", "lock.hcl", "--to", `${H}/p/\${type}`], cwdFiles: { "lock.hcl": "provider {{{" }, code: 6, message: /lock\.hcl/ },
    { name: "mirror: a misspelt command", bin: "mirror", args: ["provider", "hashicorp/aws"], code: 2, message: /^error: unknown command 'provider'; did you mean 'providers'\?$/ },
    { name: "mirror: providers --latest with --lockfile", bin: "mirror", args: ["providers", "--lockfile", "lock.hcl", "--latest", "--to", `${H}/p/\${type}`], code: 2, message: /mutually exclusive/ },
    { name: "mirror: modules with an unknown flag", bin: "mirror", args: ["modules", "acme/net/aws", "--to", `${H}/m`, "--bogus"], code: 2, message: /unknown option --bogus$/ },

    // tofu-oci-deps
    { name: "deps: lock with an unknown flag", bin: "deps", args: ["lock", "--bogus"], code: 2, message: /unknown option --bogus$/ },
    { name: "deps: lock with --platform without its arch", bin: "deps", args: ["lock", "--platform", "linux"], cwdFiles: REQUIRES, code: 2, message: /linux/ },
    { name: "deps: lock with a lock file that is not HCL", bin: "deps", args: ["lock"], cwdFiles: { ...REQUIRES, ".terraform.lock.hcl": "provider {{{" }, code: 6, message: /\.terraform\.lock\.hcl/ },
    { name: "deps: lock with a .tf file that is not HCL", bin: "deps", args: ["lock"], cwdFiles: { "main.tf": "terraform {\n" }, code: 6, message: /main\.tf/ },
    { name: "deps: lock with a CLI config file with a syntax error", bin: "deps", args: ["lock"], cwdFiles: REQUIRES, homeFiles: BAD_TOFURC, code: 6, message: /problems with the CLI configuration/ },
    { name: "deps: lock of a missing directory", bin: "deps", args: ["lock", "no-such-dir"], code: 6, message: /no-such-dir/ },
    { name: "deps: outdated with an invalid --constraint", bin: "deps", args: ["outdated", "--constraint", "~> banana"], code: 2, message: /--constraint/ },
    { name: "deps: pin with --constraint", bin: "deps", args: ["pin", "--constraint", "~> 1.0"], code: 2, message: /--constraint applies to deps update and deps outdated/ },
    { name: "deps: update with an invalid --constraint", bin: "deps", args: ["update", "--constraint", ">= 1.0, nope"], cwdFiles: OCI_SOURCE, code: 2, message: /--constraint/ },
    { name: "deps: update of a .tf file that is not HCL", bin: "deps", args: ["update"], cwdFiles: { "main.tf": 'module "net" {\n' }, code: 6, message: /main\.tf/ },

    // tofu-oci (the umbrella)
    { name: "umbrella: an unknown command", bin: "cli", args: ["frobnicate"], code: 2, message: /frobnicate/ },
    { name: "umbrella: no command", bin: "cli", args: [], code: 2, message: /command/ },
    { name: "umbrella: push with an invalid reference", bin: "cli", args: ["push", `${H}/Bad_Repo:1`, f.moduleZip], code: 2, message: /invalid repository name/ },
    { name: "umbrella: pack of a missing directory", bin: "cli", args: ["pack", "module", "no-such-dir"], code: 6, message: /does not exist/ },
    { name: "umbrella: verify with an unknown flag", bin: "cli", args: ["verify", `${H}/a:1`, "--bogus"], code: 2, message: /unknown option --bogus$/ },
    { name: "umbrella: mirror copy without DST", bin: "cli", args: ["mirror", "copy", `${H}/a:1`], code: 2, message: /Not enough non-option arguments/ },
    { name: "umbrella: auth resolve of a host with a space", bin: "cli", args: ["auth", "resolve", "a b"], code: 2, message: /invalid registry "a b"/ },
    { name: "umbrella: push of records of the wrong kind", bin: "cli", args: ["push", `${H}/repo:1`], stdin: verificationRecord, code: 6, message: /no package records on stdin/, format: "text" },
    { name: "umbrella: deps lock with a lock file that is not HCL", bin: "cli", args: ["deps", "lock"], cwdFiles: { ...REQUIRES, ".terraform.lock.hcl": "provider {{{" }, code: 6, message: /\.terraform\.lock\.hcl/ },
    { name: "umbrella: a misspelt command", bin: "cli", args: ["pakc", "module", "."], code: 2, message: /^error: unknown command 'pakc'; did you mean 'pack'\?$/ },
    { name: "umbrella: a global flag before the command, then a bad input", bin: "cli", args: ["-q", "pack", "module", "no-such-dir"], code: 6, message: /does not exist/ },
    { name: "umbrella: push of a record whose file changed size", bin: "cli", args: ["push", `${H}/repo:1`], stdin: packageRecord(f), code: 6, message: /its record says 1/ },
  ];
}
