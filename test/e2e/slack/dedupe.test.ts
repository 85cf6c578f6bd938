import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestDedupe, requestFingerprint } from '../../../src/slack/dedupe.js';
import { WorkGate } from '../../../src/slack/work-gate.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { eventPayload, slashCommandPayload } from '../../support/slack/index.js';

/** Duplicate detection (shared table and in-process) and the post-ack work gate. */
describe('request dedupe', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  }, 120_000);
  afterAll(async () => test?.drop());

  it('fingerprints an event by event_id (retries re-sign it) and anything else by its bytes', () => {
    const event = eventPayload({ type: 'app_home_opened', user: 'U1' });
    expect(requestFingerprint({ ...event, event_time: 1 })).toBe(requestFingerprint({ ...event, event_time: 2 }));
    const command = slashCommandPayload({ command: '/flow', text: 'list', user_id: 'U1', channel_id: 'C1' });
    expect(requestFingerprint(command)).toBe(requestFingerprint({ ...command }));
    expect(requestFingerprint(command)).not.toBe(requestFingerprint({ ...command, trigger_id: 'another' }));
  });

  it('lets exactly one of two replicas take a request delivered to both at once (shared table)', async () => {
    const replicas = [new RequestDedupe(test.database, { shared: true }), new RequestDedupe(test.database, { shared: true })];
    const body = slashCommandPayload({ command: '/flow', text: 'run x', user_id: 'U1', channel_id: 'C1' });
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.firstSeen(body)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a fingerprint after its TTL, in the table and in memory', async () => {
    for (const shared of [true, false]) {
      const dedupe = new RequestDedupe(test.database, { shared, ttlMs: 150 });
      const body = { event_id: `Ev-ttl-${shared}` };
      expect(await dedupe.firstSeen(body)).toBe(true);
      expect(await dedupe.firstSeen(body)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await dedupe.firstSeen(body)).toBe(true);
    }
  });
});

describe('work gate', () => {
  it('runs at most `limit` jobs at once, in arrival order, and reports idle', async () => {
    const gate = new WorkGate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) => gate.run(async () => {
      running += 1;
      most = Math.max(most, running);
      order.push(i);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
      return i;
    }));
    expect(gate.pending).toBe(6);
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    await gate.idle();
    expect(gate.pending).toBe(0);
    await expect(gate.run(async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(gate.pending).toBe(0);
    expect(() => new WorkGate(0)).toThrow(/positive integer/);
  });
});
