import { createHash } from 'node:crypto';
import { type KnownHost, knownHostName, matchesHost } from './known-hosts.js';

/**
 * How a host key is judged. `skip` only when the flow opted out explicitly; otherwise each
 * configured source (a pinned fingerprint, known_hosts lines) must accept the key, and with
 * no source at all the key is refused, its fingerprint shown so the operator can pin it.
 */
export type HostKeyPolicy = { kind: 'skip' } | { kind: 'verify'; fingerprint?: string; knownHosts?: KnownHost[] };

/** OpenSSH's fingerprint of a key blob: SHA256:<base64 without padding>. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function md5Fingerprint(key: Buffer): string {
  return createHash('md5').update(key).digest('hex').match(/../g)!.join(':');
}

/** The algorithm name at the start of an SSH public key blob (e.g. ssh-ed25519). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}

/**
 * Whether a pinned fingerprint names this key. Accepted forms: `SHA256:base64` (padding
 * optional, as ssh-keygen -l prints it), bare base64 of a SHA-256, and MD5 as
 * `MD5:aa:bb:…` or `aa:bb:…` (older tools and consoles still show those).
 */
function fingerprintMatches(pin: string, key: Buffer): boolean {
  const trimmed = pin.trim();
  const md5 = trimmed.replace(/^md5:/i, '');
  if (/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(md5)) return md5.toLowerCase() === md5Fingerprint(key);
  const sha = trimmed.replace(/^sha256:/i, '').replace(/=+$/, '');
  return sha === sha256Fingerprint(key).slice('SHA256:'.length);
}

/** Undefined when the policy accepts the key; otherwise why not, for the operator. */
export function hostKeyRefusal(policy: HostKeyPolicy, host: string, port: number, key: Buffer): string | undefined {
  if (policy.kind === 'skip') return undefined;
  const where = `${host}:${port}`;
  const presented = `${keyTypeOf(key)} key ${sha256Fingerprint(key)}`;
  const pinIt = `pin it with hostKeyFingerprint: ${sha256Fingerprint(key)}`;
  if (policy.fingerprint === undefined && policy.knownHosts === undefined) {
    return `Host key of ${where} cannot be verified: it presented ${presented}. If that is the right key, ${pinIt}, or give knownHosts; strictHostKeyChecking: false skips the check`;
  }
  if (policy.fingerprint !== undefined && !fingerprintMatches(policy.fingerprint, key)) {
    return `Host key verification failed for ${where}: it presented ${presented}, not the pinned ${policy.fingerprint.trim()}. If the host key changed on purpose, ${pinIt}`;
  }
  if (policy.knownHosts !== undefined) {
    const entries = policy.knownHosts.filter((entry) => matchesHost(entry, host, port));
    if (entries.some((entry) => entry.marker === 'revoked' && entry.key.equals(key))) {
      return `Host key verification failed for ${where}: its ${presented} is marked @revoked in knownHosts`;
    }
    const known = entries.filter((entry) => entry.marker === undefined);
    if (known.length === 0) {
      return `Host key verification failed for ${where}: knownHosts has no entry for ${knownHostName(host, port)}. It presented ${presented}; add it to knownHosts or ${pinIt}`;
    }
    if (!known.some((entry) => entry.key.equals(key))) {
      return `Host key verification failed for ${where}: it presented ${presented}, which is not the key knownHosts lists for it (the host was reinstalled, or the connection is intercepted). If the change is expected, update knownHosts or ${pinIt}`;
    }
  }
  return undefined;
}

// Host key algorithms Patchbay offers, strongest first; ssh-rsa (SHA-1) only on request, as JSch.
const OFFERED = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];
const ALGORITHMS_OF_KEY_TYPE: Record<string, string[]> = { 'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] };

/**
 * The host key algorithms to offer. As OpenSSH does, the types known_hosts lists for this
 * host come first, so a server with several host keys presents the one on record.
 */
export function hostKeyAlgorithms(policy: HostKeyPolicy, host: string, port: number, enableSshRsa1: boolean): string[] {
  const offered = enableSshRsa1 ? [...OFFERED, 'ssh-rsa'] : OFFERED;
  if (policy.kind === 'skip' || policy.knownHosts === undefined) return offered;
  const knownTypes = policy.knownHosts.filter((entry) => entry.marker === undefined && matchesHost(entry, host, port)).map((entry) => entry.keyType);
  const preferred = knownTypes.flatMap((type) => ALGORITHMS_OF_KEY_TYPE[type] ?? [type]).filter((name) => offered.includes(name));
  return [...new Set([...preferred, ...offered])];
}
