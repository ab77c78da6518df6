/**
 * A line that is not JSON, fit to quote in a message: binary data is named, not echoed (a zip
 * piped where records belong would otherwise fill the terminal and the error record with bytes).
 */
export function quoteLine(line: string, lineNumber: number): string {
  if (lineNumber === 1 && line.startsWith("PK\u0003\u0004"))
    return "(a zip archive: give the zip file as an argument instead)";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this detects
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(line)) return "(binary data)";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
