/**
 * Fault injection for the Web API: scripted 429s, scripted platform errors, and the automatic
 * per-channel limit on chat.update that bites a bot which edits one status message too often.
 */
import { type Args, str } from './defaults.js';

export interface RateLimitOptions {
  /** How many of the next calls to answer with 429 (default 1). */
  times?: number;
  /** Value of the Retry-After header, in whole seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface ChatUpdateLimit {
  /** More than this many chat.update calls on one channel within one second answer 429. */
  perChannelPerSecond: number;
  retryAfterSeconds?: number;
}

export type FaultDecision =
  | { kind: 'ratelimited'; retryAfterSeconds: number }
  | { kind: 'error'; error: string }
  | undefined;

interface ScriptedError {
  error: string;
  times: number;
}

export class Faults {
  private readonly limits = new Map<string, Required<RateLimitOptions>>();
  private readonly errors = new Map<string, ScriptedError>();
  /** chat.update times per channel inside the sliding one-second window. */
  private readonly updateTimes = new Map<string, number[]>();

  constructor(public chatUpdateLimit: ChatUpdateLimit | undefined) {}

  rateLimit(method: string, options: RateLimitOptions = {}): void {
    this.limits.set(method, { times: options.times ?? 1, retryAfterSeconds: options.retryAfterSeconds ?? 1 });
  }

  failNext(method: string, error: string, times = 1): void {
    this.errors.set(method, { error, times });
  }

  /** Decides the fate of one authenticated call; consumes scripted faults as it goes. */
  decide(method: string, args: Args, now: number): FaultDecision {
    const limit = this.limits.get(method);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      if (limit.times === 0) this.limits.delete(method);
      return { kind: 'ratelimited', retryAfterSeconds: limit.retryAfterSeconds };
    }
    const auto = this.autoChatUpdateLimit(method, args, now);
    if (auto) return auto;
    const scripted = this.errors.get(method);
    if (scripted && scripted.times > 0) {
      scripted.times -= 1;
      if (scripted.times === 0) this.errors.delete(method);
      return { kind: 'error', error: scripted.error };
    }
    return undefined;
  }

  private autoChatUpdateLimit(method: string, args: Args, now: number): FaultDecision {
    const limit = this.chatUpdateLimit;
    const channel = str(args, 'channel');
    if (method !== 'chat.update' || !limit || !channel) return undefined;
    // Only calls that went through count: a throttled client must be able to get back in.
    const recent = (this.updateTimes.get(channel) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= limit.perChannelPerSecond) {
      this.updateTimes.set(channel, recent);
      return { kind: 'ratelimited', retryAfterSeconds: limit.retryAfterSeconds ?? 1 };
    }
    recent.push(now);
    this.updateTimes.set(channel, recent);
    return undefined;
  }
}
