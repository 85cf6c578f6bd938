import { z } from 'zod';

/**
 * Property builders shared by every task type.
 *
 * A task property is written once and validated twice:
 * - `load` mode checks the flow file. Most properties are dynamic in Kestra (they may hold
 *   `{{ expressions }}`), so wherever a number, boolean, enum, list or map is expected a
 *   template string is accepted too; its value is only known at run time.
 * - `run` mode checks the rendered values just before a task runs, coercing strings that
 *   templates produced (`"5"` → 5, `"true"` → true) and refusing anything else.
 *
 * Both modes come from the same declaration, so the editor JSON Schema (load mode), the
 * run-time checks and the TypeScript types cannot drift apart.
 */
export type Mode = 'load' | 'run';

/** A string that holds a Pebble expression or tag; its value is only known at run time. */
export const TEMPLATE_PATTERN = /\{\{[\s\S]*\}\}|\{%[\s\S]*%\}/;
export const isTemplate = (value: unknown): value is string =>
  typeof value === 'string' && TEMPLATE_PATTERN.test(value);

/** ISO-8601 duration as Kestra writes them: PT5M, P1D, PT0.5S, P1DT2H. */
export const ISO_DURATION = /^-?P(?!$)(\d+(?:[.,]\d+)?Y)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?W)?(\d+(?:[.,]\d+)?D)?(T(?=\d)(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?$/i;

const truthy = new Set(['true', 'yes', 'on', '1']);
const falsy = new Set(['false', 'no', 'off', '0']);

function coerceNumber(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return value;
}

function coerceBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lowered = value.trim().toLowerCase();
  if (truthy.has(lowered)) return true;
  if (falsy.has(lowered)) return false;
  return value;
}

function coerceJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export interface PropKit {
  readonly mode: Mode;
  /** Any string (templates included); YAML numbers and booleans are read as their text. */
  string(): z.ZodType<string>;
  int(options?: { min?: number; max?: number }): z.ZodType<number>;
  number(options?: { min?: number; max?: number }): z.ZodType<number>;
  bool(): z.ZodType<boolean>;
  /** ISO-8601 duration such as PT5M. */
  duration(): z.ZodType<string>;
  enum<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number]>;
  list<T extends z.ZodType>(item: T): z.ZodType<z.output<T>[]>;
  map<T extends z.ZodType>(value: T): z.ZodType<Record<string, z.output<T>>>;
  /** Free-form JSON value (payloads, outputs): no coercion beyond rendering. */
  json(): z.ZodType<unknown>;
  /** A string, or a list of strings (Kestra's "string or list" properties such as Log.message). */
  stringOrList(): z.ZodType<string | string[]>;
  /** Nested tasks of a flowable task; checked at load, never rendered as a whole. */
  tasks(): z.ZodType<TaskNode[]>;
}

/** A task as written in the flow, after load-time validation. */
export interface TaskNode {
  id: string;
  type: string;
  [property: string]: unknown;
}

/**
 * A dynamic property: in load mode the typed value, a template, or text that coerces to the
 * typed value (`maxAttempts: "3"`); in run mode the rendered value, coerced then checked.
 */
function dynamic<T extends z.ZodType>(mode: Mode, schema: T, expected: string, coerce?: (v: unknown) => unknown): z.ZodType<z.output<T>> {
  if (mode === 'run') return (coerce ? z.preprocess(coerce, schema) : schema) as unknown as z.ZodType<z.output<T>>;
  const text = z
    .string()
    .refine((value) => isTemplate(value) || (coerce !== undefined && schema.safeParse(coerce(value)).success), {
      message: `expected ${expected}, or a {{ expression }}`,
    });
  return z.union([schema, text]) as unknown as z.ZodType<z.output<T>>;
}

function bounds(options?: { min?: number; max?: number }): string {
  if (options?.min !== undefined && options.max !== undefined) return ` from ${options.min} to ${options.max}`;
  if (options?.min !== undefined) return ` of at least ${options.min}`;
  if (options?.max !== undefined) return ` of at most ${options.max}`;
  return '';
}

function range<T extends z.ZodNumber>(schema: T, options?: { min?: number; max?: number }): z.ZodNumber {
  let out: z.ZodNumber = schema;
  if (options?.min !== undefined) out = out.min(options.min);
  if (options?.max !== undefined) out = out.max(options.max);
  return out;
}

/**
 * Builds a kit. `taskSchema` is the schema of one nested task; flowable tasks use it for
 * their branches (it is lazy because the task schema is itself built from the registry).
 */
export function createPropKit(mode: Mode, taskSchema: () => z.ZodType<TaskNode>): PropKit {
  return {
    mode,
    // YAML reads `errorMessage: 404` as a number; Kestra's mapper turns it into "404".
    string: () =>
      (mode === 'load'
        ? z.union([z.string(), z.number(), z.boolean()])
        : z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string())) as unknown as z.ZodType<string>,
    int: (options) => dynamic(mode, range(z.number().int(), options), `an integer${bounds(options)}`, coerceNumber),
    number: (options) => dynamic(mode, range(z.number(), options), `a number${bounds(options)}`, coerceNumber),
    bool: () => dynamic(mode, z.boolean(), 'true or false', coerceBoolean),
    duration: () =>
      dynamic(
        mode,
        z.string().regex(ISO_DURATION, { message: 'expected an ISO-8601 duration such as PT5M or P1D' }),
        'an ISO-8601 duration such as PT5M or P1D',
      ),
    enum: (values) => dynamic(mode, z.enum(values as unknown as [string, ...string[]]), `one of ${values.join(', ')}`) as never,
    list: (item) => dynamic(mode, z.array(item), 'a list', coerceJson) as never,
    map: (value) => dynamic(mode, z.record(z.string(), value), 'a map', coerceJson) as never,
    json: () => z.unknown(),
    stringOrList: () => z.union([z.string(), z.array(z.string())]),
    tasks: () => (mode === 'load' ? z.array(z.lazy(taskSchema)) : z.array(z.any())),
  };
}
