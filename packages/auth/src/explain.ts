import type { CandidateRecord, CredentialsRecord } from "./records.js";

const KIND_NAMES: Record<string, string> = {
  "static-basic": "static username/password",
  "static-oauth": "static access/refresh token",
  helper: "credential helper",
};

/** The text form of a credentials record: the answer first, then how OpenTofu got there. */
export function describeCredentials(record: CredentialsRecord): string {
  return [
    ...answer(record),
    "",
    "How OpenTofu decides:",
    ...configLines(record),
    ...ambientLines(record),
    ...candidateLines(record),
    ...warningLines(record),
  ].join("\n");
}

function answer(record: CredentialsRecord): string[] {
  const target = record.repository ? `${record.registry}/${record.repository}` : record.registry;
  if (!record.source) return [`${target}: no credentials (anonymous access)`];
  const from = `${KIND_NAMES[record.sourceKind!] ?? record.sourceKind} from ${record.source} (${record.entry}), specificity ${record.specificity}`;
  const lines = [`${target}: ${from}`];
  if (record.helper) lines.push(`  helper:   docker-credential-${record.helper} get <<< ${record.serverURL}`);
  if (record.anonymous) lines.push("  result:   no credentials from it, so the request goes anonymous");
  if (record.username !== undefined) lines.push(`  username: ${record.username}`);
  lines.push(`  secret:   ${secretLine(record)}`);
  return lines;
}

function secretLine(record: CredentialsRecord): string {
  if (record.password !== undefined) return record.password;
  if (record.accessToken !== undefined)
    return `access token ${record.accessToken}, refresh token ${record.refreshToken ?? ""}`;
  return record.anonymous ? "none" : "hidden (--reveal shows it)";
}

function configLines(record: CredentialsRecord): string[] {
  return [
    `  CLI configuration: ${record.cliConfigFiles.length > 0 ? record.cliConfigFiles.join(", ") : "no file found"}`,
  ];
}

function ambientLines(record: CredentialsRecord): string[] {
  const { mode, files } = record.ambient;
  if (mode === "disabled") return ["  Docker-style files: not read (discover_ambient_credentials = false)"];
  const heading = mode === "explicit" ? "docker_style_config_files" : "default search";
  return [
    `  Docker-style files (${heading}):`,
    ...files.map((file) => `    ${file.status.padEnd(10)} ${file.path}${file.error ? `: ${file.error}` : ""}`),
  ];
}

function candidateLines(record: CredentialsRecord): string[] {
  if (record.candidates.length === 0) return ["  Candidates: none matches this repository"];
  return [
    "  Candidates, in OpenTofu's order (the most specific wins; on a tie, the earlier one):",
    ...record.candidates.map(candidateLine),
  ];
}

function candidateLine(candidate: CandidateRecord): string {
  if (candidate.error) return `    ${"error".padEnd(24)} ${candidate.location}: ${candidate.error}`;
  const helper = candidate.helper ? `, helper "${candidate.helper}"` : "";
  return `    ${candidate.outcome.padEnd(24)} ${(candidate.specificity ?? "").padEnd(13)} ${candidate.location}: ${candidate.entry} (${KIND_NAMES[candidate.kind!] ?? candidate.kind}${helper})`;
}

function warningLines(record: CredentialsRecord): string[] {
  if (record.warnings.length === 0) return [];
  return ["  Warnings:", ...record.warnings.map((warning) => `    - ${warning}`)];
}
