import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../../../src/engine/model.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  type RetryPolicy,
  nextRetryAt,
  readRetryPolicy,
  retryDelayMs,
  retryFraction,
} from '../../../../src/engine/planner/retry.js';

const base: Omit<RetryPolicy, 'type'> = { delayFactor: 2, maxAttempts: 10, warningOnRetry: false };
const S = 1000;

describe('readRetryPolicy', () => {
  it('reads rendered values, coercing numbers and booleans from text', () => {
    expect(
      readRetryPolicy({ type: 'exponential', interval: 'PT1S', maxInterval: 'PT1M', delayFactor: '3', maxAttempts: '4', maxDuration: 'PT10M', warningOnRetry: 'true' }),
    ).toEqual({ type: 'exponential', intervalMs: S, maxIntervalMs: 60 * S, delayFactor: 3, maxAttempts: 4, maxDurationMs: 600 * S, warningOnRetry: true });
  });

  it('defaults to 3 attempts, a delay factor of 2 and no warning', () => {
    expect(readRetryPolicy({ type: 'constant', interval: 'PT5S' })).toEqual({
      type: 'constant',
      intervalMs: 5 * S,
      delayFactor: 2,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      warningOnRetry: false,
    });
    expect(DEFAULT_MAX_ATTEMPTS).toBe(3);
  });

  it('accepts the older maxAttempt', () => {
    expect(readRetryPolicy({ type: 'constant', interval: 'PT1S', maxAttempt: 7 }).maxAttempts).toBe(7);
  });

  it.each([
    [{ type: 'linear', interval: 'PT1S' }, /type/],
    [{ type: 'constant' }, /constant retry needs `interval`/],
    [{ type: 'exponential', interval: 'PT1S' }, /needs `maxInterval`/],
    [{ type: 'random', maxInterval: 'PT1S' }, /needs `minInterval`/],
    [{ type: 'constant', interval: 'soon' }, /retry.interval/],
    [{ type: 'constant', interval: 'PT1S', maxAttempts: 0 }, /at least 1/],
    [{ type: 'constant', interval: 'PT1S', maxAttempts: 'many' }, /must be a number/],
  ])('refuses %j', (raw, message) => {
    expect(() => readRetryPolicy(raw)).toThrow(message);
  });
});

describe('retryDelayMs', () => {
  it('constant: the interval every time', () => {
    const policy: RetryPolicy = { ...base, type: 'constant', intervalMs: 7 * S };
    expect([1, 2, 5].map((n) => retryDelayMs(policy, n, 'tr'))).toEqual([7 * S, 7 * S, 7 * S]);
  });

  it('exponential: interval × factor^(n-1), capped at maxInterval', () => {
    const policy: RetryPolicy = { ...base, type: 'exponential', intervalMs: 30 * S, maxIntervalMs: 200 * S };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n, 'tr'))).toEqual([30 * S, 60 * S, 120 * S, 200 * S, 200 * S]);
    const tripled: RetryPolicy = { ...policy, delayFactor: 3, maxIntervalMs: 10_000 * S };
    expect([1, 2, 3].map((n) => retryDelayMs(tripled, n, 'tr'))).toEqual([30 * S, 90 * S, 270 * S]);
  });

  it('random: uniform in [minInterval, maxInterval], the same for the same run and attempt', () => {
    const policy: RetryPolicy = { ...base, type: 'random', minIntervalMs: 10 * S, maxIntervalMs: 20 * S };
    const delays = Array.from({ length: 200 }, (_, i) => retryDelayMs(policy, 1 + (i % 5), `run-${i}`));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(10 * S);
      expect(delay).toBeLessThanOrEqual(20 * S);
    }
    expect(new Set(delays).size).toBeGreaterThan(100);
    expect(retryDelayMs(policy, 2, 'run-x')).toBe(retryDelayMs(policy, 2, 'run-x'));
    expect(retryDelayMs(policy, 2, 'run-x')).not.toBe(retryDelayMs(policy, 3, 'run-x'));
  });

  it('draws fractions spread over [0, 1]', () => {
    const fractions = Array.from({ length: 1000 }, (_, i) => retryFraction('tr', i));
    expect(Math.min(...fractions)).toBeLessThan(0.05);
    expect(Math.max(...fractions)).toBeGreaterThan(0.95);
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('nextRetryAt', () => {
  const failed = (start: string, end: string): Attempt => ({ state: 'FAILED', startedAt: start, endedAt: end });
  const constant: RetryPolicy = { ...base, type: 'constant', intervalMs: 10 * S, maxAttempts: 3 };

  it('counts from the end of the failed attempt', () => {
    expect(nextRetryAt(constant, 'tr', [failed('2026-01-01T00:00:00Z', '2026-01-01T00:00:04Z')], 'unused')).toBe('2026-01-01T00:00:14.000Z');
  });

  it('uses the fallback time when the attempt has no end', () => {
    expect(nextRetryAt(constant, 'tr', [{ state: 'FAILED', startedAt: '2026-01-01T00:00:00Z' }], '2026-01-01T00:01:00Z')).toBe('2026-01-01T00:01:10.000Z');
  });

  it('stops at maxAttempts, the first attempt included', () => {
    const two = [failed('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'), failed('2026-01-01T00:00:11Z', '2026-01-01T00:00:12Z')];
    expect(nextRetryAt(constant, 'tr', two, 'x')).not.toBeNull();
    expect(nextRetryAt(constant, 'tr', [...two, failed('2026-01-01T00:00:22Z', '2026-01-01T00:00:23Z')], 'x')).toBeNull();
    expect(nextRetryAt(constant, 'tr', [], 'x')).toBeNull();
  });

  it('stops when the next attempt would start after maxDuration from the first start', () => {
    const policy: RetryPolicy = { ...constant, maxAttempts: 100, maxDurationMs: 25 * S };
    const one = [failed('2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z')];
    expect(nextRetryAt(policy, 'tr', one, 'x')).toBe('2026-01-01T00:00:15.000Z');
    const two = [...one, failed('2026-01-01T00:00:15Z', '2026-01-01T00:00:16Z')];
    expect(nextRetryAt(policy, 'tr', two, 'x')).toBeNull(); // would start at 26s > 25s
  });
});
