/** A problem OpenTofu reports about its CLI configuration ("There are some problems with the CLI configuration"). */
export interface Diagnostic {
  severity: "error" | "warning";
  /** One line: the file (when known), the summary and the detail. */
  message: string;
}

export function errorDiagnostic(file: string | undefined, message: string): Diagnostic {
  return { severity: "error", message: file ? `${file}: ${message}` : message };
}

export function warningDiagnostic(message: string): Diagnostic {
  return { severity: "warning", message };
}
