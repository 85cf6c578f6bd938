import { lookupTask } from '../tasks/registry.js';
import type { TaskNode } from '../tasks/types.js';
import { walkFlowTasks } from './walk.js';

/**
 * Kestra's pluginDefaults: values applied to every task whose type matches, by full name
 * or by package prefix (`io.kestra.plugin.ee.nutanix` covers all Nutanix tasks). A task's
 * own value wins over a default unless the default is `forced`. Maps merge key by key, so a
 * default `connection: {host, port}` and a task's `connection: {port}` combine.
 */
export interface PluginDefault {
  type: string;
  values: Record<string, unknown>;
  forced?: boolean;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function defaultMatches(defaultType: string, taskType: string): boolean {
  const names = lookupTask(taskType)?.types ?? [taskType];
  return names.some((name) => name === defaultType || name.startsWith(`${defaultType}.`));
}

/** Deep merge where `winner`'s leaves take precedence over `loser`'s. */
function merge(loser: Record<string, unknown>, winner: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...loser };
  for (const [key, value] of Object.entries(winner)) {
    const previous = out[key];
    out[key] = isMap(previous) && isMap(value) ? merge(previous, value) : value;
  }
  return out;
}

export function applyDefaultsToTask(task: TaskNode, defaults: readonly PluginDefault[]): TaskNode {
  let result: Record<string, unknown> = task;
  for (const entry of defaults) {
    if (typeof task.type !== 'string' || !defaultMatches(entry.type, task.type) || !isMap(entry.values)) continue;
    // id and type are never defaulted: they identify the task.
    const { id: _id, type: _type, ...values } = entry.values;
    result = entry.forced ? merge(result, values) : merge(values, result);
  }
  return result as TaskNode;
}

/**
 * Returns a copy of the raw flow document with defaults applied to every task, nested ones
 * included. Runs before validation so a property required by a task may come from defaults.
 */
export function applyPluginDefaults(document: Record<string, unknown>, extra: readonly PluginDefault[] = []): Record<string, unknown> {
  const declared = [...(asDefaults(document.pluginDefaults)), ...(asDefaults(document.taskDefaults))];
  // Flow-level defaults come after global ones so they win, as in Kestra.
  const defaults = [...extra, ...declared];
  if (defaults.length === 0) return document;
  const copy = structuredClone(document);
  for (const visited of [...walkFlowTasks(copy)]) {
    const replaced = applyDefaultsToTask(visited.task, defaults);
    Object.assign(visited.task, replaced);
  }
  return copy;
}

function asDefaults(value: unknown): PluginDefault[] {
  if (!Array.isArray(value)) return [];
  return value.filter((entry): entry is PluginDefault => isMap(entry) && typeof entry.type === 'string');
}
