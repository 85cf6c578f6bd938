import type { TaskNode } from '../tasks/types.js';
import type { FlowDocument } from './flow-schema.js';
import type { InputDeclaration } from './input-schema.js';
import type { PluginDefault } from './plugin-defaults.js';
import { walkFlowTasks } from './walk.js';

/**
 * The typed flow the rest of Patchbay works with: optional lists are present (empty),
 * labels are a map, older property names are mapped to current ones. pluginDefaults are
 * already applied to the tasks.
 */
export interface FlowOutput {
  id: string;
  type: string;
  value: unknown;
  displayName?: string;
  description?: string;
  required?: boolean;
}

export interface TriggerNode {
  id: string;
  type: string;
  [property: string]: unknown;
}

export interface Flow {
  id: string;
  namespace: string;
  description?: string;
  labels: Record<string, string>;
  inputs: InputDeclaration[];
  variables: Record<string, unknown>;
  tasks: TaskNode[];
  errors: TaskNode[];
  finally: TaskNode[];
  outputs: FlowOutput[];
  pluginDefaults: PluginDefault[];
  triggers: TriggerNode[];
  concurrency?: { limit: number; behavior?: 'QUEUE' | 'CANCEL' | 'FAIL' };
  disabled: boolean;
}

function normalizeLabels(labels: FlowDocument['labels']): Record<string, string> {
  if (!labels) return {};
  const entries = Array.isArray(labels) ? labels.map((label) => [label.key, label.value] as const) : Object.entries(labels);
  return Object.fromEntries(entries.map(([key, value]) => [key, String(value)]));
}

export function toFlow(document: FlowDocument): Flow {
  const flow: Flow = {
    id: document.id,
    namespace: document.namespace,
    labels: normalizeLabels(document.labels),
    inputs: (document.inputs ?? []) as InputDeclaration[],
    variables: document.variables ?? {},
    tasks: document.tasks,
    errors: document.errors ?? [],
    finally: document.finally ?? [],
    outputs: (document.outputs ?? []) as FlowOutput[],
    pluginDefaults: [...(document.pluginDefaults ?? []), ...(document.taskDefaults ?? [])],
    triggers: (document.triggers ?? []) as TriggerNode[],
    disabled: document.disabled ?? false,
  };
  if (document.description !== undefined) flow.description = document.description;
  if (document.concurrency) flow.concurrency = document.concurrency;
  for (const { task } of walkFlowTasks(flow as unknown as Record<string, unknown>)) {
    const retry = task.retry as Record<string, unknown> | undefined;
    if (retry && retry.maxAttempt !== undefined && retry.maxAttempts === undefined) {
      retry.maxAttempts = retry.maxAttempt;
      delete retry.maxAttempt;
    }
  }
  return flow;
}
