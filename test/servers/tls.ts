// A throwaway self-signed certificate (CN and SAN = the domain) made with openssl.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface SelfSigned {
  certFile: string;
  keyFile: string;
  /** PEM of the certificate: the CA to trust in tests. */
  certPem: string;
  keyPem: string;
}

export async function makeSelfSigned(dir: string, domain: string): Promise<SelfSigned> {
  const certFile = join(dir, `${domain}.crt`);
  const keyFile = join(dir, `${domain}.key`);
  await run(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${domain}`,
      "-addext",
      `subjectAltName=DNS:${domain}`,
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { timeout: 20_000 },
  );
  const [certPem, keyPem] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  return { certFile, keyFile, certPem, keyPem };
}
