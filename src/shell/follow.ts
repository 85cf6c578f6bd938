/**
 * The shell follows executions it started (or a decision released) and prints a line per
 * step as it changes, until the execution ends or can only move on a person's decision;
 * then it prints the approval request. Woken by NOTIFY (execution and work channels), with a
 * short poll as the safety net, like service.settle. Followers run in the background so the
 * prompt stays usable (to kill, or to approve as someone else).
 */
import { isTerminalExecution, type ExecutionState } from '../engine/model.js';
import { Channels } from '../engine/transition.js';
import { Wakeup } from '../engine/wakeup.js';
import { pendingApprovalsOf } from '../service/chat-queries.js';
import { type ExecutionView, hasPendingWork } from '../service/executions.js';
import type { PatchbayService } from '../service/service.js';
import { mrkdwnToText } from '../slack/blocks/blocks-to-text.js';
import { elapsed, stateEmoji } from '../slack/blocks/format.js';
import { approvalText } from './approval-text.js';

const mark = (state: string): string => mrkdwnToText(stateEmoji(state));

function depthOf(view: ExecutionView, runId: string | null): number {
  let depth = 0;
  for (let id = runId; id; depth += 1) id = view.taskRuns.find((run) => run.id === id)?.parentTaskRunId ?? null;
  return depth;
}

export class Followers {
  /** Step states already printed, per execution, so following again prints only what is new. */
  private readonly printed = new Map<string, Map<string, string>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly service: PatchbayService,
    private readonly print: (text: string) => void,
    private readonly pollMs = 250,
  ) {}

  /** Starts following `id` unless it is followed already. */
  follow(id: string): void {
    if (this.running.has(id) || this.abort.signal.aborted) return;
    const done = this.loop(id)
      .catch((error: unknown) => this.print(`stopped following ${id}: ${(error as Error).message}`))
      .finally(() => this.running.delete(id));
    this.running.set(id, done);
  }

  /** Resolves when every followed execution has ended or waits for a person. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  /** Stops following now (`exit`). */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.running.values()]);
  }

  private report(view: ExecutionView): void {
    let seen = this.printed.get(view.id);
    if (!seen) this.printed.set(view.id, (seen = new Map()));
    const now = new Date();
    for (const run of view.taskRuns) {
      if (run.state === 'CREATED' || seen.get(run.id) === run.state) continue;
      seen.set(run.id, run.state);
      const took = run.endedAt ? elapsed(run.startedAt, run.endedAt, now) : undefined;
      const indent = '  '.repeat(depthOf(view, run.parentTaskRunId) + 1);
      const value = run.value !== null ? ` [${run.value}]` : '';
      const error = run.error && (run.state === 'FAILED' || run.state === 'WARNING') ? ` — ${run.error.split('\n')[0]}` : '';
      this.print(`${indent}${mark(run.state)} ${run.taskId}${value} ${run.state.toLowerCase()}${took ? ` (${took})` : ''}${error}`);
    }
  }

  private ended(view: ExecutionView): void {
    const took = elapsed(view.createdAt, view.endedAt, new Date());
    const lines = [`${mark(view.state)} ${view.namespace}.${view.flowId} ${view.state}${took ? ` in ${took}` : ''} (execution ${view.id})`];
    if (view.outputs && Object.keys(view.outputs).length) lines.push(`  outputs: ${JSON.stringify(view.outputs)}`);
    if (view.error) lines.push(`  error: ${view.error}`);
    this.print(lines.join('\n'));
  }

  private async waiting(view: ExecutionView): Promise<void> {
    const pending = await pendingApprovalsOf(this.service.database, view.id);
    if (!pending.length) {
      this.print(`${mark(view.state)} ${view.namespace}.${view.flowId} is ${view.state.toLowerCase()} (execution ${view.id})`);
      return;
    }
    for (const approval of pending) this.print(await approvalText(this.service, approval));
  }

  private async loop(id: string): Promise<void> {
    const { service } = this;
    const changed = new Wakeup();
    const stops = await Promise.all([Channels.execution, Channels.work].map((channel) => service.database.listen(channel, () => changed.wake())));
    const aborted = () => changed.wake();
    this.abort.signal.addEventListener('abort', aborted);
    try {
      while (!this.abort.signal.aborted) {
        let view = await service.execution(id);
        this.report(view);
        if (!isTerminalExecution(view.state as ExecutionState) && !(await hasPendingWork(service.database, id))) {
          // Nothing moves by itself: look once more so a transition in flight is not missed.
          view = await service.execution(id);
          this.report(view);
          if (!isTerminalExecution(view.state as ExecutionState) && !(await hasPendingWork(service.database, id))) return this.waiting(view);
        }
        if (isTerminalExecution(view.state as ExecutionState)) return this.ended(view);
        await changed.wait(this.pollMs);
      }
    } finally {
      this.abort.signal.removeEventListener('abort', aborted);
      await Promise.all(stops.map((stop) => stop()));
    }
  }
}
