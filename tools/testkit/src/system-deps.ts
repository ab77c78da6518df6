import { execFileSync, spawnSync } from "node:child_process";

/** Debian packages that provide each command the integration tests run. */
export const INTEGRATION_COMMANDS: Record<string, string> = {
  "docker-registry": "docker-registry",
  htpasswd: "apache2-utils",
  skopeo: "skopeo",
  openssl: "openssl",
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
  const install = () =>
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { stdio: ["ignore", "ignore", "inherit"], env });
  try {
    install();
  } catch {
    execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
    install();
  }
  const still = missing.filter(([command]) => !hasCommand(command));
  if (still.length > 0) throw new Error(`installing ${packages.join(" ")} did not provide ${still.map(([c]) => c).join(", ")}`);
}
