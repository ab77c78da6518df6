import { TofuOciError } from "../errors.js";

/**
 * Refuses to send credentials to a Bearer token realm on `http://` when the registry itself is
 * spoken to over `https://`: the token request carries them (Basic, or a refresh token) in
 * cleartext, so a registry, or whoever rewrites its answer, could have them sniffed on the way.
 * `allowInsecure` (--plain-http or --insecure: the user has given up transport security for this
 * registry) lets it through.
 * @throws TofuOciError "unauthorized" (exit 4).
 */
export function assertRealmTransport(registry: URL, realm: URL, allowInsecure: boolean): void {
  if (allowInsecure || realm.protocol !== "http:" || registry.protocol !== "https:") return;
  throw new TofuOciError(
    "unauthorized",
    `${registry.host} asks for credentials to be sent to ${realm.origin} over plain http; refused`,
    {
      hint: "The registry's token realm must use https. Pass --insecure only if you accept credentials in cleartext on this network.",
    },
  );
}
