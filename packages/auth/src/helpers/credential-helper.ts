import { HelperNotFoundError, type AuthIo } from "../io/auth-io.js";
import { equalFold } from "../json/fold.js";
import { parseJson } from "../json/parse-json.js";

/** The answer a helper gives ORAS's native store, decoded as OpenTofu uses it. */
export type HelperAnswer = { found: false } | { found: true; username: string; secret: string };

const NOT_FOUND = "credentials not found in native keychain";

/** A helper failed; the message is OpenTofu's, e.g. `"pass" credential helper failed: exit status 1`. */
export class HelperError extends Error {
  override readonly name = "HelperError";
}

/**
 * `docker-credential-<name> get` with the server URL on stdin (docs/contract/auth/spec.md §8). "credentials not found
 * in native keychain" is no credentials, not an error; a `<token>` username (an identity token)
 * is rejected as OpenTofu does.
 * @throws HelperError
 */
export async function helperGet(io: AuthIo, name: string, serverURL: string): Promise<HelperAnswer> {
  const stdout = await runChecked(io, name, "get", serverURL);
  if (stdout === undefined) return { found: false };
  const { username, secret } = decodeHelperJson(name, stdout);
  if (username === "<token>") {
    if (secret === "") return { found: false };
    throw new HelperError(
      `${JSON.stringify(name)} credential helper returned OAuth-style credentials, but only username/password-style is allowed from a credential helper`,
    );
  }
  return { found: true, username, secret };
}

/** `docker-credential-<name> store`: saves a username and secret for a server URL. @throws HelperError */
export async function helperStore(
  io: AuthIo,
  name: string,
  serverURL: string,
  username: string,
  secret: string,
): Promise<void> {
  await runChecked(io, name, "store", JSON.stringify({ ServerURL: serverURL, Username: username, Secret: secret }));
}

/** `docker-credential-<name> erase`; returns false when the helper had nothing stored. @throws HelperError */
export async function helperErase(io: AuthIo, name: string, serverURL: string): Promise<boolean> {
  return (await runChecked(io, name, "erase", serverURL)) !== undefined;
}

/** Runs the helper; returns stdout, or undefined for "not found". */
async function runChecked(
  io: AuthIo,
  name: string,
  action: "get" | "store" | "erase",
  input: string,
): Promise<string | undefined> {
  let output;
  try {
    output = await io.runHelper(name, action, input);
  } catch (error) {
    const reason = error instanceof HelperNotFoundError ? error.message : `${(error as Error).message}`;
    throw new HelperError(`${JSON.stringify(name)} credential helper failed: ${reason}`, { cause: error });
  }
  if (output.exitCode === 0) return output.stdout;
  // One line, so that errors stay one line on the terminal.
  const message = output.stdout.trim().replace(/\s*\n\s*/g, " ");
  if (message === NOT_FOUND) return undefined;
  throw new HelperError(
    `${JSON.stringify(name)} credential helper failed: ${message || `exit status ${output.exitCode}`}`,
  );
}

function decodeHelperJson(name: string, stdout: string): { username: string; secret: string } {
  let document;
  try {
    document = parseJson(stdout);
  } catch (error) {
    throw new HelperError(`${JSON.stringify(name)} credential helper failed: ${(error as Error).message}`);
  }
  if (document.type !== "object")
    throw new HelperError(
      `${JSON.stringify(name)} credential helper failed: json: cannot unmarshal ${document.type} into Go value of type credentials.dockerCredentials`,
    );
  const result = { username: "", secret: "" };
  for (const { key, value } of document.members) {
    const field = equalFold(key, "Username") ? "username" : equalFold(key, "Secret") ? "secret" : undefined;
    if (!field || value.type === "null") continue;
    if (value.type !== "string")
      throw new HelperError(
        `${JSON.stringify(name)} credential helper failed: json: cannot unmarshal ${value.type} into Go struct field of type string`,
      );
    result[field] = value.value;
  }
  return result;
}
