import { readFileSync } from "node:fs";

/** The `version` of the package.json next to a module's dist folder. */
export function readPackageVersion(moduleUrl: string): string {
  const text = readFileSync(new URL("../package.json", moduleUrl), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
