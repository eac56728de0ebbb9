// Throwaway self-signed certificates (CN and SAN = the domain) made with openssl: as files for a real server, or
// in memory for the embedded server and the hostile-server tests.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const OPENSSL_TIMEOUT_MS = 120_000;

export interface SelfSigned {
  certFile: string;
  keyFile: string;
  /** PEM of the certificate: the CA to trust in tests. */
  certPem: string;
  keyPem: string;
}

/** Key and certificate PEM, as `tls.createSecureContext` takes them. */
export interface PemPair {
  key: string;
  cert: string;
}

function opensslArgs(domain: string, keyFile: string, certFile: string): string[] {
  return [
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
  ];
}

export async function makeSelfSigned(dir: string, domain: string): Promise<SelfSigned> {
  const certFile = join(dir, `${domain}.crt`);
  const keyFile = join(dir, `${domain}.key`);
  await run("openssl", opensslArgs(domain, keyFile, certFile), { timeout: OPENSSL_TIMEOUT_MS });
  const [certPem, keyPem] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  return { certFile, keyFile, certPem, keyPem };
}

/** A fresh certificate in memory: its files are gone again when this returns. */
export function selfSignedPem(domain = "localhost"): PemPair {
  const dir = mkdtempSync(join(tmpdir(), "reguser-cert-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync("openssl", opensslArgs(domain, key, cert), { stdio: "ignore", timeout: OPENSSL_TIMEOUT_MS });
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
