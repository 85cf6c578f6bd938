import { randomBytes } from 'node:crypto';

/**
 * Identifiers for executions, task runs and approvals: 22 base62 characters from 128 random
 * bits (the shape Kestra users know), safe in URLs, Slack block ids and shell arguments.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newId(): string {
  let value = BigInt(`0x${randomBytes(16).toString('hex')}`);
  let out = '';
  for (let i = 0; i < 22; i += 1) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}
