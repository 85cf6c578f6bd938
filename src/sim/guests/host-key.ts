import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { ErrorCode, PatchbayError } from '../../errors.js';

// ssh2 is CommonJS; its `utils` is only reachable through the default export under ESM.
const { utils } = ssh2;

/** The fleet's one host key: every guest presents it, so one known_hosts line covers them all. */
export interface GuestHostKey {
  /** OpenSSH private key text, as ssh2's Server takes it. */
  privateKey: string;
  /** "ssh-ed25519 AAAA…", the part of a known_hosts line after the host patterns. */
  publicKey: string;
}

const FILE = 'ssh_host_ed25519_key';

/**
 * The host key kept in `dir` (created on first use) so that known_hosts written for an earlier
 * run of the simulator keeps verifying; without `dir`, a key for this process only. A key file
 * that exists but does not parse is an error, not a reason to mint a new identity silently.
 */
export function loadGuestHostKey(dir: string | undefined): GuestHostKey {
  if (dir === undefined) return generate();
  const path = join(dir, FILE);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(path, error);
  }
  if (text !== undefined) {
    const parsed = utils.parseKey(text);
    if (parsed instanceof Error || Array.isArray(parsed)) throw unreadable(path, parsed);
    return { privateKey: text, publicKey: `${parsed.type} ${parsed.getPublicSSH().toString('base64')}` };
  }
  const key = generate();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path, key.privateKey, { mode: 0o600 });
  writeFileSync(`${path}.pub`, `${key.publicKey} patchbay-sim-guests\n`, { mode: 0o644 });
  return key;
}

function unreadable(path: string, cause: unknown): PatchbayError {
  return new PatchbayError(ErrorCode.CONFIG_INVALID, `simulated guests: cannot use the host key in ${path} (remove it to generate a new one)`, { cause });
}

/**
 * A fresh ed25519 pair. ssh2's generator sometimes writes a public half one byte short that
 * ssh2 itself then cannot parse; such pairs are drawn again.
 */
function generate(): GuestHostKey {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const parsed = utils.parseKey(pair.private);
    if (parsed instanceof Error || Array.isArray(parsed) || utils.parseKey(pair.public) instanceof Error) continue;
    return { privateKey: pair.private, publicKey: `${parsed.type} ${parsed.getPublicSSH().toString('base64')}` };
  }
}

/**
 * known_hosts lines for the host patterns guests may answer on: `127.x.y.*` for their own
 * loopback addresses (SSH on 22, so the bare address is the name) and `[127.0.0.1]:*` for
 * guests on allocated ports. Patchbay's SSH task (and OpenSSH) match these patterns.
 */
export function knownHostsText(key: GuestHostKey, patterns: string[]): string {
  const lines = patterns.map((pattern) => `${pattern} ${key.publicKey}`);
  return `# Patchbay simulated guests (one host key for all of them)\n${lines.join('\n')}\n`;
}
