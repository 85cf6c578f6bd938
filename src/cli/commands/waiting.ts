import { desc, eq } from 'drizzle-orm';
import { approvals } from '../../db/schema.js';
import type { ExecutionView } from '../../service/executions.js';
import { printExecution } from '../service-io.js';
import type { PatchbayService } from '../../service/service.js';
import { type CliIo, ExitCode } from '../io.js';

/**
 * 0 on SUCCESS, WARNING, PAUSED and QUEUED (waiting is not failing); 1 on FAILED, KILLED and
 * CANCELLED (the flow's concurrency limit refused the run: it never ran).
 */
export function exitCodeFor(state: string): ExitCode {
  return state === 'FAILED' || state === 'KILLED' || state === 'CANCELLED' ? ExitCode.FAILURE : ExitCode.OK;
}

/** Says what a paused execution waits for, and how to decide it. */
export async function printWaiting(io: CliIo, service: PatchbayService, view: ExecutionView): Promise<void> {
  if (view.state === 'QUEUED') {
    io.stdout.write('queued behind the flow\'s concurrency limit: it starts when a running execution of the flow ends\n');
    return;
  }
  if (view.state !== 'PAUSED') return;
  const [pending] = await service.database.db
    .select()
    .from(approvals)
    .where(eq(approvals.executionId, view.id))
    .orderBy(desc(approvals.createdAt))
    .limit(1);
  if (!pending || pending.state !== 'PENDING') return;
  const who = [...pending.users, ...pending.groups.map((group) => `@${group}`)];
  const task = view.taskRuns.find((run) => run.id === pending.taskRunId)?.taskId ?? pending.taskRunId;
  io.stdout.write(
    `waiting on ${task}${pending.description ? ` (${pending.description})` : ''} for ${who.length ? who.join(', ') : 'anyone'}` +
      `${pending.minApprovals > 1 ? `, ${pending.minApprovals} approvals needed` : ''}\n` +
      `  patchbay resume ${view.id} --approve --as USER     or     --reject --reason "…"\n`,
  );
}

/** Runs a worker in this process until the execution ends or waits for a person, then reports it. */
export async function follow(io: CliIo, service: PatchbayService, id: string, json: boolean): Promise<ExitCode> {
  await service.startWorker({ pollMs: 200 });
  const view = await service.settle(id);
  printExecution(io, view, json);
  if (!json) await printWaiting(io, service, view);
  return exitCodeFor(view.state);
}
