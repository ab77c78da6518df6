/**
 * Why a command was cancelled when its stdout closed under it (EPIPE: the reader of a pipe
 * exited, as `head -1` does). `runCli` ends such a command quietly and `runMain` exits 0.
 */
export class OutputClosed extends Error {
  /** Always `OutputClosed`. */
  override readonly name = "OutputClosed";
  constructor(cause: unknown) {
    super("stdout was closed", { cause });
  }
}
