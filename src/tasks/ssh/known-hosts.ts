import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { taskFailed } from '../../errors.js';

/** One line of an OpenSSH known_hosts file. */
export interface KnownHost {
  /** `@revoked` keys are refused; `@cert-authority` lines are kept but never match a plain key. */
  marker?: 'revoked' | 'cert-authority';
  /** The host field: comma-separated patterns (`!` negates, `*`/`?` wildcards) or one hashed name. */
  hosts: string;
  keyType: string;
  key: Buffer;
}

/**
 * Parses known_hosts text. Lines OpenSSH would skip (comments, blanks, broken lines) are
 * skipped too, but text without a single usable line is refused: it is almost certainly a
 * path or a value pasted in the wrong place, and verifying against nothing would refuse
 * every host with a misleading message.
 */
export function parseKnownHosts(text: string): KnownHost[] {
  const entries: KnownHost[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
    const marker = fields[0] === '@revoked' ? 'revoked' : fields[0] === '@cert-authority' ? 'cert-authority' : undefined;
    const [hosts, keyType, base64] = marker ? fields.slice(1) : fields;
    if (!hosts || !keyType || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) continue;
    const key = Buffer.from(base64, 'base64');
    // A key blob starts with its own type name: anything else is not a key.
    if (key.length < 4 || key.subarray(4, 4 + key.readUInt32BE(0)).toString('latin1') !== keyType) continue;
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key });
  }
  if (entries.length === 0) throw taskFailed('knownHosts holds no valid known_hosts line ("host key-type base64-key")', { retryable: false });
  return entries;
}

/**
 * The known_hosts text from `knownHosts`: the content itself, or the path of a file. A value
 * with whitespace is content (every known_hosts line has some); anything else is a path,
 * `~/` meaning the worker's HOME.
 */
export async function readKnownHosts(value: string, home: string | undefined): Promise<string> {
  const trimmed = value.trim();
  if (/\s/.test(trimmed)) return value;
  const path = trimmed.startsWith('~/') && home ? `${home}/${trimmed.slice(2)}` : trimmed;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw taskFailed(`knownHosts: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { retryable: false });
  }
}

/** The name known_hosts records for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Whether a known_hosts line is about `host:port` (hashed names included). */
export function matchesHost(entry: KnownHost, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (entry.hosts.startsWith('|1|')) return matchesHashed(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!wildcard(negated ? pattern.slice(1) : pattern).test(name)) continue;
    // A matching negation excludes the host whatever else matches, as in OpenSSH.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `|1|salt|hash`: HMAC-SHA1 of the host name keyed with the salt (ssh-keygen -H). */
function matchesHashed(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}
