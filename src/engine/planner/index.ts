import { ErrorCode, PatchbayError } from '../../errors.js';
import type { Flow } from '../../flow/model.js';
import { type ExecutionSnapshot, type PlanAction, isTerminalExecution, isTerminalTaskRun } from '../model.js';
import { applyActions } from './apply.js';
import { buildRenderContext } from './context.js';
import { BEHAVIORS } from './flowables/index.js';
import { haltExecution, haltTarget } from './halt.js';
import { settleRunnables } from './runnables.js';
import { advanceRoot } from './tree.js';
import { ACTIVE, type PlannerDeps, type Settled, errorMessage } from './types.js';
import { Planner } from './working.js';

export { applyActions } from './apply.js';
export { buildRenderContext } from './context.js';
export type { PlannerDeps } from './types.js';

/**
 * The pure planner: `(flow, snapshot) → actions`. One call is one round; the engine calls it
 * again on the updated snapshot (see `planUntilStable`) until it returns nothing. Planning a
 * snapshot it already acted on returns []: every rule reads the snapshot only (ids come from
 * `deps.newId`, time from `snapshot.now`) and nothing is created twice (one run per task,
 * parent and iteration value). Render errors fail the task run concerned; they never throw.
 */
export function plan(flow: Flow, snapshot: ExecutionSnapshot, deps: PlannerDeps): PlanAction[] {
  if (isTerminalExecution(snapshot.execution.state)) return [];
  // Waiting for a concurrency slot (engine/concurrency.ts): nothing runs until it is admitted; a kill ends it.
  if (snapshot.execution.state === 'QUEUED' && !snapshot.execution.killRequested) return [];
  const planner = new Planner(flow, snapshot, deps, BEHAVIORS);
  const halt = haltTarget(planner);
  if (halt) {
    if (haltExecution(planner, halt.target, halt.requester)) endExecution(planner, { state: halt.target });
    return planner.actions;
  }
  if (planner.execution.state === 'CREATED') planner.emit({ type: 'setExecutionState', state: 'RUNNING' });
  settleRunnables(planner);
  const outcome = advanceRoot(planner);
  if (planner.haltRequested) return planner.actions;
  if (outcome === ACTIVE) reconcileWaiting(planner);
  else endExecution(planner, outcome);
  return planner.actions;
}

/**
 * The execution is PAUSED while everything still going is a PAUSED task run waiting (its
 * enclosing flowable runs aside), and RUNNING otherwise.
 */
function reconcileWaiting(planner: Planner): void {
  const live = planner.allRuns().filter((run) => !isTerminalTaskRun(run.state));
  const leaves = live.filter((run) => !planner.hasLiveChildren(run));
  const state = leaves.length > 0 && leaves.every((run) => run.state === 'PAUSED') ? 'PAUSED' : 'RUNNING';
  if (planner.execution.state !== state) planner.emit({ type: 'setExecutionState', state });
}

/**
 * The end: flow outputs are rendered (unless killed) with the full context; one that cannot
 * be rendered fails an otherwise successful execution. An execution that already failed keeps
 * the outputs it can render (its tasks may not have produced the others) and its error names
 * the first failed task, not the outputs that went missing because of it.
 */
function endExecution(planner: Planner, outcome: Pick<Settled, 'state'>): void {
  let state = outcome.state;
  const alreadyFailed = state === 'FAILED';
  const problems: string[] = [];
  let outputs: Record<string, unknown> | null = null;
  if (state !== 'KILLED' && planner.flow.outputs.length > 0) {
    outputs = {};
    const context = buildRenderContext(planner.flow, planner.snapshot());
    for (const output of planner.flow.outputs) {
      try {
        outputs[output.id] = typeof output.value === 'string' ? planner.deps.render(output.value, context) : output.value;
      } catch (error) {
        problems.push(`output \`${output.id}\`: ${errorMessage(error)}`);
      }
    }
    if (alreadyFailed) problems.length = 0;
    else if (problems.length > 0) state = 'FAILED';
  }
  let error: string | null = null;
  if (state === 'FAILED') {
    const failed = planner.allRuns().find((run) => run.state === 'FAILED' && run.error) ?? planner.allRuns().find((run) => run.state === 'FAILED');
    const cause = failed ? `task \`${failed.taskId}\` failed${failed.error ? `: ${failed.error}` : ''}` : null;
    error = [cause, ...problems].filter(Boolean).join('; ') || null;
  }
  planner.emit({ type: 'setExecutionState', state, outputs, error });
}

/** Plans, applies and plans again until nothing is left to do; returns the end state and every action. */
export function planUntilStable(
  flow: Flow,
  snapshot: ExecutionSnapshot,
  deps: PlannerDeps,
  maxRounds = 200,
): { snapshot: ExecutionSnapshot; actions: PlanAction[] } {
  let current = snapshot;
  const actions: PlanAction[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const next = plan(flow, current, deps);
    if (next.length === 0) return { snapshot: current, actions };
    actions.push(...next);
    current = applyActions(current, next);
  }
  throw new PatchbayError(ErrorCode.INTERNAL, `the planner did not settle after ${maxRounds} rounds (execution ${snapshot.execution.id})`);
}
