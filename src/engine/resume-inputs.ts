import { eq } from 'drizzle-orm';
import { executions, type taskRuns } from '../db/schema.js';
import { parseInputDeclaration } from '../flow/input-schema.js';
import type { Engine } from './engine.js';
import { taskById } from './task-index.js';

/**
 * The `onResume` inputs of a Pause / HumanTask, checked like flow inputs (coerced from text,
 * required ones present, validators applied). Values typed by people are data: never rendered.
 */
export async function resumeInputs(
  engine: Engine,
  run: typeof taskRuns.$inferSelect | undefined,
  given: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!run) return {};
  const [execution] = await engine.context.database.db.select().from(executions).where(eq(executions.id, run.executionId));
  if (!execution) return {};
  const stored = await engine.context.flows.get(execution.namespace, execution.flowId, execution.revision);
  const task = taskById(stored.flow).get(run.taskId);
  const declared = Array.isArray(task?.onResume) ? task.onResume : [];
  return engine.resolve({ namespace: execution.namespace, inputs: declared.map(parseInputDeclaration) }, given);
}
