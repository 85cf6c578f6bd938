import { checkTemplate } from '../expr/check.js';
import { hasTemplate } from '../expr/render.js';
import type { FlowDocument } from './flow-schema.js';
import { scheduleProblems } from './schedule-checks.js';
import { walkFlowTasks } from './walk.js';

/**
 * Checks that need the whole flow: ids unique across nesting levels and every template's
 * syntax and vocabulary. (Input ids and dependsOn are checked by the inputs schema.)
 */
export interface Problem {
  path: (string | number)[];
  message: string;
  atKey?: boolean;
}

function duplicates(items: { id: unknown; path: (string | number)[] }[], what: string): Problem[] {
  const first = new Map<string, (string | number)[]>();
  const problems: Problem[] = [];
  for (const item of items) {
    if (typeof item.id !== 'string') continue;
    const earlier = first.get(item.id);
    if (earlier) {
      problems.push({ path: item.path, message: `duplicate ${what} id \`${item.id}\` (first used at \`${earlier.join('.')}\`)` });
    } else {
      first.set(item.id, item.path);
    }
  }
  return problems;
}

function* strings(value: unknown, path: (string | number)[]): Generator<{ text: string; path: (string | number)[] }> {
  if (typeof value === 'string') yield { text: value, path };
  else if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* strings(item, [...path, index]);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key]);
  }
}

/** Sections whose strings are templates rendered by Patchbay. `variables` are data until used. */
const TEMPLATED_SECTIONS = ['tasks', 'errors', 'finally', 'outputs', 'triggers', 'inputs', 'pluginDefaults', 'taskDefaults'] as const;

export function semanticProblems(document: FlowDocument, raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const tasks = [...walkFlowTasks(document as unknown as Record<string, unknown>)];
  problems.push(...duplicates(tasks.map(({ task, path }) => ({ id: task.id, path: [...path, 'id'] })), 'task'));

  problems.push(...duplicates((document.outputs ?? []).map((output, index) => ({ id: output.id, path: ['outputs', index, 'id'] })), 'output'));
  problems.push(...duplicates((document.triggers ?? []).map((trigger, index) => ({ id: trigger.id, path: ['triggers', index, 'id'] })), 'trigger'));
  problems.push(...scheduleProblems(document));

  for (const section of TEMPLATED_SECTIONS) {
    for (const { text, path } of strings(raw[section], [section])) {
      if (!hasTemplate(text)) continue;
      for (const message of checkTemplate(text)) problems.push({ path, message });
    }
  }
  return problems;
}
