import type { VerifyRecord } from "./verify.js";

/** The human summary of a verification record (`--format text`). */
export function describeVerification(record: VerifyRecord): string {
  const head = `${record.ok ? "PASS" : "FAIL"} ${record.type} ${record.reference}${record.digest ? ` (${record.digest})` : ""}`;
  const lines = record.checks.map((check) => {
    const where = check.platform ? ` [${check.platform}]` : "";
    const line = `  ${check.ok ? "ok  " : "FAIL"} ${check.id}${where}: ${check.message}`;
    return check.warning ? `${line}\n       warning: ${check.warning}` : line;
  });
  if (typeof record.source === "string" && record.ok) lines.push(`  module source: ${record.source}`);
  if (typeof record.extracted === "string") lines.push(`  extracted to: ${record.extracted}`);
  for (const file of record.sboms ?? []) lines.push(`  SBOM written to: ${file}`);
  return [head, ...lines].join("\n");
}
