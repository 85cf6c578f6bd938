import { createHash } from 'node:crypto';

/**
 * Namespace of Patchbay's Prism request ids (a random UUID fixed once): two systems deriving
 * ids from the same text with RFC 4122 v5 still get different ids.
 */
const NAMESPACE = Buffer.from('6f1c2a3e9b7d4e5fa0c18d2b4e6f7a19', 'hex');

/**
 * The `NTNX-Request-Id` of one mutating call: a UUID v5 (SHA-1, RFC 4122 §4.3) of the task
 * run's idempotency key and the call's purpose ("create-vm", "power-on:<vm>"…).
 *
 * Prism Central treats a replayed request id as the same request and answers with the task it
 * started the first time. The idempotency key is stable when a crash-interrupted attempt is
 * run again, so the re-run replays every call it had already made instead of creating a second
 * VM or recovery point; a new attempt (a retry after a failure) gets a new key, hence new ids.
 */
export function prismRequestId(idempotencyKey: string, purpose: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${idempotencyKey}\n${purpose}`, 'utf8').digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
