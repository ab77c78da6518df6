import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CertificateFiles {
  caCert: string;
  cert: string;
  key: string;
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** A throwaway CA and a server certificate it signed, valid for 127.0.0.1 and localhost. */
export function makeServerCertificate(dir: string): CertificateFiles {
  const files = {
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    cert: join(dir, "server.crt"),
    key: join(dir, "server.key"),
  };
  const csr = join(dir, "server.csr");
  const ext = join(dir, "server.ext");
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=tofu-oci test CA",
    "-keyout",
    files.caKey,
    "-out",
    files.caCert,
  ]);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", files.key, "-out", csr]);
  writeFileSync(
    ext,
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  openssl([
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    files.caCert,
    "-CAkey",
    files.caKey,
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    ext,
    "-out",
    files.cert,
  ]);
  return { caCert: files.caCert, cert: files.cert, key: files.key };
}

/** A self-signed key pair whose certificate distribution trusts for token signatures. */
export function makeTokenSigningCertificate(dir: string): { cert: string; key: string } {
  const files = { cert: join(dir, "token.crt"), key: join(dir, "token.key") };
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=tofu-oci test token issuer",
    "-keyout",
    files.key,
    "-out",
    files.cert,
  ]);
  return files;
}
