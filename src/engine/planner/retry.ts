import { ErrorCode, PatchbayError, assertNever } from '../../errors.js';
import { durationMs } from '../../tasks/duration.js';
import type { Attempt } from '../model.js';

/**
 * Task retry policies (Kestra's `retry`: constant, exponential, random) and their backoff.
 * Pure: the random delay is drawn from a hash of (task run id, attempt) so planning the same
 * snapshot twice arms the same timer.
 */
export type RetryType = 'constant' | 'exponential' | 'random';

export interface RetryPolicy {
  type: RetryType;
  intervalMs?: number;
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** Growth of an exponential delay; Kestra's default is 2. */
  delayFactor: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Retries stop once the next attempt would start later than this after the first one started. */
  maxDurationMs?: number;
  warningOnRetry: boolean;
}

/**
 * Kestra leaves maxAttempts unset by default and inherits failsafe's limit of 3 attempts;
 * an unbounded default would retry a broken task forever.
 */
export const DEFAULT_MAX_ATTEMPTS = 3;

function fail(message: string): never {
  throw new PatchbayError(ErrorCode.TASK_FAILED, `retry: ${message}`);
}

function duration(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`\`${name}\` must be an ISO-8601 duration, got ${JSON.stringify(value)}`);
  return durationMs(value, `retry.${name}`);
}

function number(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) fail(`\`${name}\` must be a number, got ${JSON.stringify(value)}`);
  return n;
}

function bool(value: unknown): boolean {
  if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
  return value === true;
}

/** Reads a rendered `retry` property (every template already rendered) into a policy. */
export function readRetryPolicy(raw: Record<string, unknown>): RetryPolicy {
  const type = raw.type;
  if (type !== 'constant' && type !== 'exponential' && type !== 'random') {
    fail(`\`type\` must be constant, exponential or random, got ${JSON.stringify(type)}`);
  }
  const maxAttempts = number(raw.maxAttempts ?? raw.maxAttempt, 'maxAttempts') ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) fail('`maxAttempts` must be an integer of at least 1');
  const policy: RetryPolicy = {
    type,
    delayFactor: number(raw.delayFactor, 'delayFactor') ?? 2,
    maxAttempts,
    warningOnRetry: bool(raw.warningOnRetry),
  };
  const fields: [keyof RetryPolicy, string][] = [
    ['intervalMs', 'interval'],
    ['minIntervalMs', 'minInterval'],
    ['maxIntervalMs', 'maxInterval'],
    ['maxDurationMs', 'maxDuration'],
  ];
  for (const [key, name] of fields) {
    const ms = duration(raw[name], name);
    if (ms !== undefined) (policy as unknown as Record<string, number>)[key] = ms;
  }
  const needs: Record<RetryType, (keyof RetryPolicy)[]> = {
    constant: ['intervalMs'],
    exponential: ['intervalMs', 'maxIntervalMs'],
    random: ['minIntervalMs', 'maxIntervalMs'],
  };
  for (const key of needs[type]) {
    if (policy[key] === undefined) fail(`a ${type} retry needs \`${key.replace(/Ms$/, '')}\``);
  }
  return policy;
}

/** A number in [0, 1] drawn deterministically from (task run id, attempt): FNV-1a, 32 bits. */
export function retryFraction(taskRunId: string, attempt: number): number {
  let hash = 0x811c9dc5;
  for (const char of `${taskRunId}:${attempt}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0xffffffff;
}

/**
 * The delay before the next attempt, once `failedAttempts` attempts (≥ 1) have failed.
 * Exponential: interval × delayFactor^(failedAttempts − 1), capped at maxInterval (Kestra's
 * documentation: 30s → 1m → 2m → 4m). Random: uniform in [minInterval, maxInterval].
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempts: number, taskRunId: string): number {
  switch (policy.type) {
    case 'constant':
      return policy.intervalMs ?? 0;
    case 'exponential': {
      const raw = (policy.intervalMs ?? 0) * policy.delayFactor ** Math.max(0, failedAttempts - 1);
      return Math.round(Math.min(raw, policy.maxIntervalMs ?? raw));
    }
    case 'random': {
      const min = policy.minIntervalMs ?? 0;
      const max = Math.max(min, policy.maxIntervalMs ?? min);
      return Math.round(min + retryFraction(taskRunId, failedAttempts) * (max - min));
    }
    default:
      return assertNever(policy.type, 'retry type');
  }
}

/**
 * When the next attempt of a task run whose last attempt failed is due, or null when the
 * policy allows no more: maxAttempts reached, or the next attempt would start after
 * maxDuration counted from the first attempt's start. The delay runs from the end of the
 * failed attempt (`fallback` when the worker recorded no end).
 */
export function nextRetryAt(policy: RetryPolicy, taskRunId: string, attempts: readonly Attempt[], fallback: string): string | null {
  const made = attempts.length;
  if (made === 0 || made >= policy.maxAttempts) return null;
  const last = attempts[made - 1]!;
  const due = new Date(Date.parse(last.endedAt ?? fallback) + retryDelayMs(policy, made, taskRunId)).toISOString();
  if (policy.maxDurationMs !== undefined) {
    const elapsed = Date.parse(due) - Date.parse(attempts[0]!.startedAt);
    if (elapsed > policy.maxDurationMs) return null;
  }
  return due;
}
