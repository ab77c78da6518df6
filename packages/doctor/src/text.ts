import type { DoctorRecord, Probe } from "./records.js";

const ID_WIDTH = 18;
const STATUS_WIDTH = 8;
const INDENT = " ".repeat(2 + ID_WIDTH + STATUS_WIDTH);

/** The text form of a doctor record: a table of the probes, then the verdict and what to do. */
export function describeDoctor(record: DoctorRecord): string {
  const name = record.repository ? `${record.registry}/${record.repository}` : record.registry;
  const scratch = record.scratchRepository ? ` (scratch repository ${record.scratchRepository})` : " (read-only)";
  const lines = [
    `tofu-oci doctor ${name}${scratch}`,
    "",
    `  ${"PROBE".padEnd(ID_WIDTH)}${"RESULT".padEnd(STATUS_WIDTH)}FINDINGS`,
  ];
  const hints = new Set<string>();
  for (const probe of record.probes) lines.push(...probeLines(probe, hints));
  if (record.left.length > 0)
    lines.push("", "Left in the registry (DELETE was refused):", ...record.left.map((item) => `  ${item}`));
  lines.push("", `${record.ok ? "OK" : "FAILED"}: ${record.verdict}`);
  if (record.failure?.hint && !hints.has(record.failure.hint)) lines.push(`  ${record.failure.hint}`);
  return lines.join("\n");
}

/** A probe's row, then the registry's words and what to do (each hint once per table). */
function probeLines(probe: Probe, hints: Set<string>): string[] {
  const lines = [`  ${probe.id.padEnd(ID_WIDTH)}${probe.status.padEnd(STATUS_WIDTH)}${probe.summary}`];
  if (probe.words && !probe.summary.includes(probe.words)) lines.push(`${INDENT}registry says: ${probe.words}`);
  if (probe.hint && probe.status !== "ok" && !hints.has(probe.hint)) {
    hints.add(probe.hint);
    lines.push(`${INDENT}to do: ${probe.hint}`);
  }
  return lines;
}
