import { execFileSync, spawnSync } from "node:child_process";

/** Debian packages that provide each command the registry test bed runs. */
export const INTEGRATION_COMMANDS: Record<string, string> = {
  "docker-registry": "docker-registry",
  htpasswd: "apache2-utils",
  skopeo: "skopeo",
  openssl: "openssl",
};

/**
 * Every command any test runs, installed once before the suite starts so that parallel test
 * files never race for the dpkg lock.
 */
export const TEST_COMMANDS: Record<string, string> = {
  ...INTEGRATION_COMMANDS,
  "docker-credential-pass": "golang-docker-credential-helpers",
  pass: "pass",
  gpg: "gnupg",
  go: "golang-go",
  git: "git",
  unzip: "unzip",
  zip: "zip",
  curl: "curl",
  script: "bsdutils",
};

export function hasCommand(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/**
 * Makes sure the commands exist: installs their Debian packages with apt-get when running as
 * root, and otherwise fails naming the packages to install.
 */
export function ensureCommands(commands: Record<string, string> = INTEGRATION_COMMANDS): void {
  const missing = Object.entries(commands).filter(([command]) => !hasCommand(command));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  const canInstall = process.getuid?.() === 0 && hasCommand("apt-get");
  if (!canInstall) {
    throw new Error(
      `integration tests need ${missing.map(([c]) => c).join(", ")}: install the Debian packages ${packages.join(" ")} ` +
        `(sudo apt-get install -y ${packages.join(" ")}) or run the tests as root`,
    );
  }
  process.stderr.write(`installing ${packages.join(" ")} for the integration tests...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Wait for the dpkg lock instead of failing when another installer holds it.
  const aptGet = (args: string[]) =>
    execFileSync("apt-get", ["-o", "DPkg::Lock::Timeout=600", ...args], {
      stdio: ["ignore", "ignore", "inherit"],
      env,
    });
  const install = () => aptGet(["install", "-y", "--no-install-recommends", ...packages]);
  try {
    install();
  } catch {
    aptGet(["update"]);
    install();
  }
  const still = missing.filter(([command]) => !hasCommand(command));
  if (still.length > 0)
    throw new Error(`installing ${packages.join(" ")} did not provide ${still.map(([c]) => c).join(", ")}`);
}
