import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';

/**
 * The simulator's TLS: its own CA, and a server certificate signed by it for 127.0.0.1,
 * localhost and the host it listens on. Clients trust `caCert` (never switch verification
 * off). With a state folder the CA persists, so a client that saved the CA keeps trusting
 * the simulator across restarts; the server certificate is re-issued when the names change.
 */

export interface TlsMaterial {
  caCert: string;
  cert: string;
  key: string;
}

const DAY_MS = 86_400_000;

async function createCa(): Promise<{ cert: string; key: string }> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'Patchbay Prism Central simulator CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + 3650 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

async function createServerCert(ca: { cert: string; key: string }, names: string[]): Promise<{ cert: string; key: string }> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + 825 * DAY_MS),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Names a server certificate must cover: loopback plus the listening host. */
export function serverNames(host: string): string[] {
  const names = ['127.0.0.1', 'localhost'];
  if (host && host !== '0.0.0.0' && host !== '::' && !names.includes(host)) names.push(host);
  return names;
}

function covers(certPem: string, caPem: string, names: string[]): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.checkIssued(new X509Certificate(caPem))) return false;
    if (Date.parse(cert.validTo) < Date.now() + 7 * DAY_MS) return false;
    return names.every((name) => (isIP(name) ? cert.checkIP(name) : cert.checkHost(name)) !== undefined);
  } catch {
    return false; // unreadable or foreign: issue a new one
  }
}

function writeAtomic(file: string, text: string, mode: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  renameSync(temp, file);
}

/** Loads or creates the CA and server certificate; `dir` absent = in memory (a fresh CA). */
export async function loadTls(dir: string | undefined, host: string): Promise<TlsMaterial> {
  const names = serverNames(host);
  if (!dir) {
    const ca = await createCa();
    const server = await createServerCert(ca, names);
    return { caCert: ca.cert, cert: server.cert, key: server.key };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = { caCert: path.join(dir, 'ca.pem'), caKey: path.join(dir, 'ca-key.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server-key.pem') };
  let ca: { cert: string; key: string };
  if (existsSync(files.caCert) && existsSync(files.caKey)) {
    ca = { cert: readFileSync(files.caCert, 'utf8'), key: readFileSync(files.caKey, 'utf8') };
  } else {
    ca = await createCa();
    writeAtomic(files.caKey, ca.key, 0o600);
    writeAtomic(files.caCert, ca.cert, 0o644);
  }
  if (existsSync(files.cert) && existsSync(files.key)) {
    const cert = readFileSync(files.cert, 'utf8');
    if (covers(cert, ca.cert, names)) return { caCert: ca.cert, cert, key: readFileSync(files.key, 'utf8') };
  }
  const server = await createServerCert(ca, names);
  writeAtomic(files.key, server.key, 0o600);
  writeAtomic(files.cert, server.cert, 0o644);
  return { caCert: ca.cert, cert: server.cert, key: server.key };
}
