import { z } from 'zod';
import { ErrorCode, PatchbayError, isPatchbayError } from '../../errors.js';
import { createPropKit } from '../../tasks/kit.js';
import type { TaskNode } from '../../tasks/types.js';
import { durationMs } from '../../tasks/duration.js';
import type { TaskRunRecord } from '../model.js';
import { type Settled, errorMessage } from './types.js';
import type { Planner } from './working.js';

/**
 * Reading the properties of flowable tasks, which the planner renders itself (workers render
 * runnable ones). Rendered values are coerced and checked with the same run-mode rules as
 * the task schemas (`"5"` → 5, `"true"` → true), so a property means the same wherever it is
 * read. Every failure is a PatchbayError naming the property.
 */
const kit = createPropKit('run', () => z.any());

function problem(name: string, error: unknown): PatchbayError {
  const message = errorMessage(error);
  const code = isPatchbayError(error) ? error.code : ErrorCode.TASK_FAILED;
  return new PatchbayError(code, `\`${name}\`: ${message}`, { cause: error });
}

/** The rendered value of `task[name]`, undefined when the property is absent. */
export function readProp(planner: Planner, task: TaskNode, name: string, run: TaskRunRecord): unknown {
  const raw = task[name];
  if (raw === undefined || raw === null) return undefined;
  try {
    return planner.render(raw, run);
  } catch (error) {
    throw problem(name, error);
  }
}

function check<T>(schema: z.ZodType<T>, name: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PatchbayError(ErrorCode.TASK_FAILED, `\`${name}\`: ${issue?.message.replace(/^Invalid input: /, '') ?? 'invalid'} (got ${JSON.stringify(value)})`);
}

export function propInt(planner: Planner, task: TaskNode, name: string, run: TaskRunRecord, fallback: number, min = 0): number {
  const value = readProp(planner, task, name, run);
  return value === undefined ? fallback : check(kit.int({ min }), name, value);
}

export function propBool(planner: Planner, task: TaskNode, name: string, run: TaskRunRecord, fallback: boolean): boolean {
  const value = readProp(planner, task, name, run);
  return value === undefined ? fallback : check(kit.bool(), name, value);
}

export function propString(planner: Planner, task: TaskNode, name: string, run: TaskRunRecord): string | undefined {
  const value = readProp(planner, task, name, run);
  return value === undefined ? undefined : check(kit.string(), name, value);
}

export function propEnum<const T extends readonly [string, ...string[]]>(
  planner: Planner,
  task: TaskNode,
  name: string,
  run: TaskRunRecord,
  values: T,
  fallback: T[number],
): T[number] {
  const value = readProp(planner, task, name, run);
  return value === undefined ? fallback : (check(kit.enum(values), name, value) as T[number]);
}

/** An ISO-8601 duration property: its rendered text and length, or undefined when absent. */
export function propDuration(planner: Planner, task: TaskNode, name: string, run: TaskRunRecord): { text: string; ms: number } | undefined {
  const value = readProp(planner, task, name, run);
  if (value === undefined) return undefined;
  const text = check(kit.duration(), name, value);
  try {
    return { text, ms: durationMs(text, `\`${name}\``) };
  } catch (error) {
    throw new PatchbayError(ErrorCode.TASK_FAILED, errorMessage(error));
  }
}

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/**
 * allowFailure / allowWarning, Kestra's order: a failure allowed becomes WARNING, and a
 * WARNING allowed becomes SUCCESS. A property that cannot be rendered counts as false.
 */
export function allowances(planner: Planner, task: TaskNode | undefined, run: TaskRunRecord, state: Settled['state']): Settled['state'] {
  if (!task) return state;
  const flag = (name: string): boolean => {
    try {
      return propBool(planner, task, name, run, false);
    } catch {
      return false;
    }
  };
  let out = state;
  if (out === 'FAILED' && task.allowFailure !== undefined && flag('allowFailure')) out = 'WARNING';
  if (out === 'WARNING' && task.allowWarning !== undefined && flag('allowWarning')) out = 'SUCCESS';
  return out;
}
