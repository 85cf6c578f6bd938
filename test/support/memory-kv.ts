import { ErrorCode, PatchbayError } from '../../src/errors.js';
import type { KvStore } from '../../src/tasks/types.js';

interface Entry {
  value: unknown;
  ttlSeconds?: number;
  expiresAt?: number;
}

/**
 * An in-memory KvStore with the contract of the database-backed one: values are copied in
 * and out, a TTL makes an entry expire, `overwrite: false` refuses an existing key with
 * CONFLICT. The clock is injectable so expiry can be tested without waiting.
 */
export class MemoryKv implements KvStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(namespace: string, key: string): Promise<{ found: boolean; value?: unknown }> {
    const entry = this.live(namespace, key);
    return entry === undefined ? { found: false } : { found: true, value: structuredClone(entry.value) };
  }

  async set(namespace: string, key: string, value: unknown, options: { ttlSeconds?: number; overwrite?: boolean } = {}): Promise<void> {
    if (options.overwrite === false && this.live(namespace, key) !== undefined) {
      throw new PatchbayError(ErrorCode.CONFLICT, `KV key \`${key}\` already exists in namespace ${namespace} and overwrite is false`);
    }
    const entry: Entry = { value: structuredClone(value) };
    if (options.ttlSeconds !== undefined) {
      entry.ttlSeconds = options.ttlSeconds;
      entry.expiresAt = this.now() + options.ttlSeconds * 1000;
    }
    this.entries.set(MemoryKv.id(namespace, key), entry);
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    const existed = this.live(namespace, key) !== undefined;
    this.entries.delete(MemoryKv.id(namespace, key));
    return existed;
  }

  /** The TTL a key was stored with, to check what a task asked for. */
  ttlSecondsOf(namespace: string, key: string): number | undefined {
    return this.entries.get(MemoryKv.id(namespace, key))?.ttlSeconds;
  }

  private live(namespace: string, key: string): Entry | undefined {
    const entry = this.entries.get(MemoryKv.id(namespace, key));
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) return undefined;
    return entry;
  }

  private static id(namespace: string, key: string): string {
    return `${namespace}\u0000${key}`;
  }
}
