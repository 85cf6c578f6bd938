import type { Database } from '../db/database.js';
import type { Engine } from '../engine/engine.js';
import type { FlowStore } from '../engine/flow-store.js';
import { nextFire } from './cron.js';
import { type FireSource, fire, recordTriggerState } from './fire.js';
import { planMissed } from './missed.js';
import { type ScheduleTrigger, scheduleTriggersOf, triggerKey } from './schedule-trigger.js';
import { type TriggerStateRow, latestFlows, markStopped, readTriggerStates, stopAfterReason } from './state.js';

/**
 * The Schedule triggers of every flow's current revision, fired by one timer armed for the
 * earliest due fire (a timer wheel of one slot: no per-trigger timers to leak). It runs in
 * every replica; fire.ts makes each fire time start one execution across all of them.
 *
 * - Start: each trigger's missed fires (since the last fire any replica recorded) are
 *   started per `recoverMissedSchedules`, then it is armed for its next fire after now.
 * - Flows are re-read every `refreshMs`: a new trigger is armed from now, a changed cron or
 *   zone re-arms it, a removed or disabled one is dropped.
 * - A due fire is started when its time comes; one found more than `lateMs` late (the process
 *   was suspended) counts as missed and follows the recovery policy.
 * - Stop: no timer is left and the fire in progress finishes first.
 */
export interface SchedulerLog {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
}

export interface SchedulerOptions {
  database: Database;
  engine: Engine;
  flows: FlowStore;
  clock?: () => Date;
  log?: SchedulerLog;
  /** How often flows are re-read (new, changed, removed triggers). Default 10 s. */
  refreshMs?: number;
  /** A due fire later than this is treated as missed. Default 60 s. */
  lateMs?: number;
}

interface Armed {
  trigger: ScheduleTrigger;
  flowSource: string;
  due: Date | undefined;
}

const quiet: SchedulerLog = { info: () => undefined, warn: () => undefined };

export class Scheduler {
  private readonly armed = new Map<string, Armed>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private chain: Promise<void> = Promise.resolve();
  private lastRefresh = 0;
  private readonly clock: () => Date;
  private readonly log: SchedulerLog;
  private readonly refreshMs: number;
  private readonly lateMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? quiet;
    this.refreshMs = options.refreshMs ?? 10_000;
    this.lateMs = options.lateMs ?? 60_000;
  }

  /** Recovers missed fires and arms the triggers; resolves once that first pass is done. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.serial(() => this.refresh());
    this.arm();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  /** Whether a timer is pending (tests check none is left after stop). */
  get timerPending(): boolean {
    return this.timer !== undefined;
  }

  /** The triggers armed now and their next fire (diagnostics and tests). */
  armedTriggers(): { key: string; due: Date | undefined }[] {
    return [...this.armed].map(([key, armed]) => ({ key, due: armed.due }));
  }

  /** Re-reads the flows now (after a sync) instead of at the next refresh. */
  async refreshNow(): Promise<void> {
    await this.serial(() => this.refresh());
    this.arm();
  }

  /** Work runs one piece at a time: a refresh never races a fire of the same trigger. */
  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work).catch((error: unknown) => this.log.warn('scheduler', error));
    this.chain = next;
    return next;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    const now = this.clock().getTime();
    let wait = this.lastRefresh + this.refreshMs - now;
    for (const { due } of this.armed.values()) if (due) wait = Math.min(wait, due.getTime() - now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.serial(() => this.wake()).then(() => this.arm());
    }, Math.max(0, Math.min(wait, this.refreshMs)));
  }

  private async wake(): Promise<void> {
    if (!this.running) return;
    if (this.clock().getTime() - this.lastRefresh >= this.refreshMs) await this.refresh();
    await this.tick();
  }

  private async refresh(): Promise<void> {
    const { database, flows } = this.options;
    const now = this.clock();
    const states = await readTriggerStates(database);
    const seen = new Set<string>();
    for (const stored of await latestFlows(database, flows, (error) => this.log.warn('scheduler: a stored flow no longer loads', error))) {
      for (const trigger of scheduleTriggersOf(stored.flow, stored.revision)) {
        if (!this.running) return;
        const key = triggerKey(trigger);
        seen.add(key);
        const known = this.armed.get(key);
        if (known && known.trigger.revision === trigger.revision && known.trigger.fingerprint === trigger.fingerprint) continue;
        await this.adopt(trigger, stored.source, known, states.get(key), now);
      }
    }
    for (const key of [...this.armed.keys()]) if (!seen.has(key)) this.armed.delete(key);
    this.lastRefresh = now.getTime();
  }

  /** A trigger this replica did not watch yet, or whose revision changed. */
  private async adopt(trigger: ScheduleTrigger, flowSource: string, known: Armed | undefined, state: TriggerStateRow | undefined, now: Date): Promise<void> {
    const { database } = this.options;
    const sameTiming = state?.fingerprint === trigger.fingerprint;
    const stopped = sameTiming && state?.revision === trigger.revision ? state.stoppedReason : undefined;
    if (!known && !trigger.disabled && !stopped && sameTiming && state) {
      // The baseline of what was missed: the last fire recorded, else the first fire it was armed for.
      const lastFire = state.lastFire ?? (state.nextFire ? new Date(state.nextFire.getTime() - 1) : undefined);
      await this.recover(trigger, flowSource, lastFire, now);
    }
    await recordTriggerState(database, undefined, trigger, undefined, now);
    const due = trigger.disabled || stopped ? undefined : known?.trigger.fingerprint === trigger.fingerprint ? known.due : nextFire(trigger.cron, trigger.options, now);
    this.armed.set(triggerKey(trigger), { trigger, flowSource, due });
    if (!known) this.log.info(`scheduler: ${triggerKey(trigger)} ${trigger.disabled ? 'disabled' : stopped ? stopped : `next ${due?.toISOString() ?? 'never'}`}`);
  }

  private async recover(trigger: ScheduleTrigger, flowSource: string, lastFire: Date | undefined, now: Date): Promise<void> {
    const plan = planMissed({
      cron: trigger.cron,
      options: trigger.options,
      lastFire,
      now,
      policy: trigger.recover,
      lateMaximumDelayMs: trigger.lateMaximumDelayMs,
    });
    if (plan.truncated) this.log.warn(`scheduler: ${triggerKey(trigger)} missed more fires than are recovered at once; starting the latest ${plan.start.length}`);
    for (const fireTime of plan.start) {
      if (!this.running) return;
      await this.fireOne({ trigger, flowSource, due: undefined }, fireTime, 'recovery');
    }
  }

  private async tick(): Promise<void> {
    for (const armed of this.armed.values()) {
      for (;;) {
        const now = this.clock();
        const due = armed.due;
        if (!this.running || !due || due.getTime() > now.getTime()) break;
        const late = now.getTime() - due.getTime();
        if (late > this.lateMs) {
          // Fell behind (the process was suspended): what was missed follows the recovery policy.
          armed.due = nextFire(armed.trigger.cron, armed.trigger.options, now);
          await this.recover(armed.trigger, armed.flowSource, new Date(due.getTime() - 1), now);
          break;
        }
        armed.due = nextFire(armed.trigger.cron, armed.trigger.options, due);
        const tooLate = armed.trigger.lateMaximumDelayMs !== undefined && late > armed.trigger.lateMaximumDelayMs;
        if (!tooLate) await this.fireOne(armed, due, 'schedule');
      }
    }
  }

  private async fireOne(armed: Armed, fireTime: Date, source: FireSource): Promise<void> {
    const { database, engine } = this.options;
    const { trigger } = armed;
    try {
      const stopped = await stopAfterReason(database, trigger);
      if (stopped) {
        await markStopped(database, trigger, stopped);
        armed.due = undefined;
        this.log.info(`scheduler: ${triggerKey(trigger)} ${stopped}`);
        return;
      }
      const outcome = await fire({ database, engine, flowSource: armed.flowSource }, trigger, fireTime, source);
      if (outcome.created) this.log.info(`scheduler: ${triggerKey(trigger)} fired ${fireTime.toISOString()} → ${outcome.created.id} ${outcome.created.state}`);
    } catch (error) {
      this.log.warn(`scheduler: ${triggerKey(trigger)} fire ${fireTime.toISOString()} failed`, error);
    }
  }
}
