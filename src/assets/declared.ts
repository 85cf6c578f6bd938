import { isPatchbayError, taskFailed, type PatchbayError } from '../errors.js';
import type { DeclaredAssets, DeclaredOutput } from './types.js';

/**
 * A task's `assets` property (Kestra's asset declaration) rendered with the task's context
 * and checked. Load-time validation (flow/task-schema.ts) has seen the shape already, but
 * templates decide the values: an id may render empty, metadata may render to a list. Every
 * problem names the field, e.g. `assets.outputs[0].metadata`, so the author knows where to look.
 */

/** Ids are shown in Slack and used as keys; anything longer is a template gone wrong. */
export const MAX_ASSET_ID_LENGTH = 512;

const OUTPUT_TEXT_FIELDS = ['type', 'namespace', 'displayName', 'description'] as const;
const OUTPUT_FIELDS = new Set(['id', ...OUTPUT_TEXT_FIELDS, 'metadata']);

function invalid(field: string, message: string): PatchbayError {
  return taskFailed(`\`${field}\`: ${message}`, { retryable: false, details: { field } });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Asset ids are text; YAML reads `id: 42` as a number, so numbers are accepted as their text. */
export function assetId(field: string, value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') throw invalid(field, `an asset id must be text, got ${describe(value)}`);
  const id = text.trim();
  if (id === '') throw invalid(field, 'the asset id rendered to an empty value');
  if (id.length > MAX_ASSET_ID_LENGTH) throw invalid(field, `an asset id may have at most ${MAX_ASSET_ID_LENGTH} characters, got ${id.length}`);
  return id;
}

function optionalText(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw invalid(field, `expected text, got ${describe(value)}`);
  return value.trim() === '' ? undefined : value;
}

function renderAt<T>(field: string, value: T, render: (value: unknown) => unknown): unknown {
  try {
    return render(value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const details = isPatchbayError(error) ? { ...error.details, field } : { field };
    throw taskFailed(`\`${field}\`: ${message}`, { retryable: false, cause: error, details });
  }
}

function listAt(field: string, value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(field, `expected a list, got ${describe(value)}`);
  return value;
}

/** Checks one rendered output entry. */
function checkOutput(field: string, entry: unknown): DeclaredOutput {
  if (!isMap(entry)) throw invalid(field, `expected a map with at least \`id\`, got ${describe(entry)}`);
  for (const key of Object.keys(entry)) {
    if (!OUTPUT_FIELDS.has(key)) throw invalid(`${field}.${key}`, `unknown field; an output has ${[...OUTPUT_FIELDS].join(', ')}`);
  }
  const output: DeclaredOutput = { id: assetId(`${field}.id`, entry.id) };
  for (const key of OUTPUT_TEXT_FIELDS) {
    const text = optionalText(`${field}.${key}`, entry[key]);
    if (text !== undefined) output[key] = text;
  }
  const metadata = entry.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (!isMap(metadata)) throw invalid(`${field}.metadata`, `expected a map of key: value, got ${describe(metadata)}`);
    output.metadata = metadata;
  }
  return output;
}

/**
 * Renders and checks a task's `assets` property. Returns undefined when the task declares
 * none (or only `enableAuto`), so the caller issues no statement at all.
 */
export function renderTaskAssets(declaration: unknown, render: (value: unknown) => unknown): DeclaredAssets | undefined {
  if (declaration === undefined || declaration === null) return undefined;
  if (!isMap(declaration)) throw invalid('assets', `expected a map with \`inputs\` and/or \`outputs\`, got ${describe(declaration)}`);
  for (const key of Object.keys(declaration)) {
    if (key !== 'inputs' && key !== 'outputs' && key !== 'enableAuto') {
      throw invalid(`assets.${key}`, 'unknown field; `assets` has inputs, outputs and enableAuto');
    }
  }
  const seenInputs = new Set<string>();
  const inputs: { id: string }[] = [];
  listAt('assets.inputs', declaration.inputs).forEach((entry, index) => {
    const field = `assets.inputs[${index}]`;
    if (!isMap(entry)) throw invalid(field, `expected a map with \`id\`, got ${describe(entry)}`);
    for (const key of Object.keys(entry)) {
      if (key !== 'id') throw invalid(`${field}.${key}`, 'unknown field; an input has only `id`');
    }
    const id = assetId(`${field}.id`, renderAt(`${field}.id`, entry.id, render));
    // Naming the same input twice is harmless: one USED event, one edge per output.
    if (!seenInputs.has(id)) inputs.push({ id });
    seenInputs.add(id);
  });
  const outputs: DeclaredOutput[] = [];
  const seenOutputs = new Map<string, number>();
  listAt('assets.outputs', declaration.outputs).forEach((entry, index) => {
    const field = `assets.outputs[${index}]`;
    const output = checkOutput(field, renderAt(field, entry, render));
    const first = seenOutputs.get(output.id);
    // Two entries for one asset would make one silently overwrite the other: say so instead.
    if (first !== undefined) throw invalid(`${field}.id`, `asset \`${output.id}\` is already declared by assets.outputs[${first}]`);
    seenOutputs.set(output.id, index);
    outputs.push(output);
  });
  if (inputs.length === 0 && outputs.length === 0) return undefined;
  return { inputs, outputs };
}

/**
 * What a task reported itself (`TaskResult.assets`) combined with the flow's own `assets:`
 * on that task. For an id both name, the flow's fields win one by one (its author knows the
 * type, the namespace, the display name) and metadata is merged key by key, so a flow adding
 * `os: windows` keeps the `extId` and `ip` the task reported. Either side may add ids.
 */
export function mergeDeclaredAssets(fromTask: DeclaredAssets | undefined, fromFlow: DeclaredAssets | undefined): DeclaredAssets | undefined {
  if (!fromTask) return fromFlow;
  if (!fromFlow) return fromTask;
  const taskOutputs = new Map(fromTask.outputs.map((output) => [output.id, output]));
  const flowIds = new Set(fromFlow.outputs.map((output) => output.id));
  const inputIds = new Set(fromFlow.inputs.map((input) => input.id));
  const outputs = [
    ...fromTask.outputs.filter((output) => !flowIds.has(output.id)),
    ...fromFlow.outputs.map((output) => {
      const reported = taskOutputs.get(output.id);
      if (!reported) return output;
      const metadata = reported.metadata || output.metadata ? { ...reported.metadata, ...output.metadata } : undefined;
      return { ...reported, ...output, ...(metadata ? { metadata } : {}) };
    }),
  ];
  return { inputs: [...fromTask.inputs.filter((input) => !inputIds.has(input.id)), ...fromFlow.inputs], outputs };
}
