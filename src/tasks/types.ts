import type { z } from 'zod';
import type { PropKit, TaskNode } from './kit.js';

export type { TaskNode } from './kit.js';

/**
 * Runnable tasks execute on a worker; flowable tasks (Sequential, If, ForEach, Pause…) only
 * decide what runs next and live in the planner (see DESIGN.md, "Planner / worker split").
 */
export type TaskKind = 'runnable' | 'flowable';

/** A list of nested tasks held by a flowable task, with where it sits inside that task. */
export interface TaskBranch {
  /** Branch name as the planner knows it: `tasks`, `then`, `else`, `errors`, `finally`, `case:<key>`… */
  name: string;
  /** Path of the list inside the task node (for error positions), e.g. ['cases', 'ok']. */
  path: (string | number)[];
  tasks: TaskNode[];
  /** The branch is one task (Pause's `onPause`): `path` points at the task, not at a list. */
  single?: boolean;
}

export interface TaskDefinition<P extends z.ZodRawShape = z.ZodRawShape> {
  /** Kestra's full type name first, then its documented aliases (older package names). */
  types: readonly [string, ...string[]];
  /** One line shown by `patchbay schema`, `/flow describe` and the editor. */
  title: string;
  kind: TaskKind;
  /** The task's own properties; the common ones (id, retry, timeout…) are added by the flow schema. */
  properties(kit: PropKit): P;
  /** Flowable tasks: their nested task lists. Runnable tasks have none. */
  branches?(task: TaskNode): TaskBranch[];
  /**
   * Checks across properties that a schema cannot express (e.g. SSH: authMethod PASSWORD
   * needs `password`), run at load time once the properties are well-formed.
   */
  check?(task: TaskNode): { path: (string | number)[]; message: string }[];
  /**
   * True when running the task twice could do harm (an SSH command, a payment): after a lost
   * worker lease such a task run fails with "worker lost" instead of being retried.
   */
  unsafeToRepeat?: boolean;
}

/** Identity helper that keeps the literal types of a definition. */
export function defineTask<P extends z.ZodRawShape>(definition: TaskDefinition<P>): TaskDefinition<P> {
  return definition;
}

/** Reads a nested task list that load-time validation has already checked. */
export function taskList(value: unknown): TaskNode[] {
  return Array.isArray(value) ? (value as TaskNode[]) : [];
}
