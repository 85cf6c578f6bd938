/**
 * The zod schema of one flow input declaration, in Kestra's dialect, so a Kestra flow's `inputs`
 * load unchanged. One schema gives validation, the `InputDeclaration` type and the editor JSON
 * Schema (`z.toJSONSchema(schema, { io: 'input' })`): a discriminated union on `type`, each
 * member a strict object so a misspelt property is an error naming it, not a silent no-op.
 */
import { z } from 'zod';
import { ErrorCode, PatchbayError } from '../errors.js';
import { coerceDeclared, compileValidator, parseTemporal } from './input-coercers.js';

/** Types an ARRAY or MULTISELECT item may have (Kestra forbids ARRAY, SECRET and the select types). */
export const ITEM_TYPES = ['STRING', 'INT', 'FLOAT', 'BOOL', 'BOOLEAN', 'DATETIME', 'DATE', 'TIME', 'DURATION', 'JSON', 'YAML', 'URI', 'EMAIL'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const INPUT_TYPES = [...ITEM_TYPES, 'SECRET', 'SELECT', 'ENUM', 'MULTISELECT', 'ARRAY'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/** Quotes a value for a message; long values are cut so one bad paste cannot flood a Slack thread. */
export function show(value: unknown): string {
  let text: string;
  try { text = JSON.stringify(value instanceof Date ? value.toISOString() : value) ?? String(value); } catch { text = String(value); }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Templates are for flow authors only: a string is rendered only when it came from the flow. */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}

/** A select option: Kestra accepts a plain scalar (label = value) or `{ label, value }`. */
export interface SelectOption { readonly label: string; readonly value: string }
export function toSelectOption(raw: unknown): SelectOption | undefined {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { label: String(raw), value: String(raw) };
  if (raw === null || typeof raw !== 'object' || !('value' in raw) || raw.value === null || raw.value === undefined) return undefined;
  const { label, value } = raw as { label?: unknown; value: unknown };
  return { label: String(label ?? value), value: String(value) };
}

// Kestra validates ids with Java's `matches()`, which anchors both ends.
const INPUT_ID = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;
const inputId = z.string().regex(INPUT_ID, {
  error: (iss) => `${show(iss.input)} is not a valid input id: start with a letter or digit, then letters, digits, '.', '_' or '-'`,
});

/** Every member is strict; the message lists what this type does accept. */
function strict<S extends z.ZodRawShape>(shape: S) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      const type = (iss.input as { type?: unknown } | undefined)?.type;
      const names = iss.keys.map((k) => `'${k}'`).join(', ');
      return `unknown ${iss.keys.length > 1 ? 'properties' : 'property'} ${names}${typeof type === 'string' ? ` for type ${type}` : ''} (allowed: ${allowed})`;
    },
  });
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const base = {
  id: inputId.optional().describe('The input id, used as {{ inputs.<id> }}.'),
  name: inputId.optional().describe('Deprecated Kestra alias of id.'),
  description: z.string().optional(),
  displayName: z.string().optional(),
  required: z.boolean().default(true),
  dependsOn: strict({
    inputs: z.array(inputId).optional(),
    condition: z.string().optional().describe('Expression; the input is used only when it renders true.'),
  }).optional(),
};
/** `defaults`/`prefill` of one type; a string is also accepted, as text to coerce or as a template. */
const typed = <T extends z.ZodType[]>(what: string, ...types: T) => {
  const error = (iss: { input?: unknown }): string => `${show(iss.input)} is not ${what}${types.length ? ' or a template string' : ''}`;
  const value = z.union([...types, z.string({ error })] as [...T, z.ZodString], { error });
  return { defaults: value.optional(), prefill: value.optional() };
};
const itemType = z.enum(ITEM_TYPES, { error: () => `itemType must be one of ${ITEM_TYPES.join(', ')}` });
const option = z.union([scalar, strict({ label: z.string().optional(), value: scalar })], {
  error: (iss) => (iss.code === 'invalid_union' ? `${show(iss.input)} is not a value: use a string or { label, value }` : undefined),
});
const options = z.array(option.transform((raw) => toSelectOption(raw)!));
const choice = {
  values: options.optional(),
  expression: z.string().optional().describe('Expression producing the list of values.'),
  allowCustomValue: z.boolean().default(false),
  autoSelectFirst: z.boolean().default(false),
};
const range = <T extends z.ZodType>(type: T) => ({ min: type.optional(), max: type.optional() });
const span = { after: z.string().optional(), before: z.string().optional() };

const union = z.discriminatedUnion('type', [
  strict({ ...base, type: z.literal('STRING'), ...typed('text', z.number(), z.boolean()), validator: z.string().optional() }),
  strict({ ...base, type: z.literal('SECRET'), ...typed('text', z.number(), z.boolean()), validator: z.string().optional() }),
  strict({ ...base, type: z.literal('INT'), ...typed('an integer', z.int()), ...range(z.int()) }),
  strict({ ...base, type: z.literal('FLOAT'), ...typed('a number', z.number()), ...range(z.number()) }),
  strict({ ...base, type: z.enum(['BOOL', 'BOOLEAN']), ...typed('a boolean', z.boolean()) }),
  strict({ ...base, type: z.enum(['SELECT', 'ENUM']), ...typed('a value', z.number(), z.boolean()), ...choice, isRadio: z.boolean().default(false) }),
  strict({ ...base, type: z.literal('MULTISELECT'), ...typed('a list of values', z.array(scalar)), ...choice, itemType: itemType.default('STRING') }),
  strict({ ...base, type: z.literal('ARRAY'), ...typed('a list', z.array(z.unknown())), itemType }),
  strict({ ...base, type: z.enum(['JSON', 'YAML']), defaults: z.unknown().optional(), prefill: z.unknown().optional() }),
  strict({ ...base, type: z.enum(['DATETIME', 'DATE', 'TIME']), ...typed('a string'), ...span }),
  strict({ ...base, type: z.literal('DURATION'), ...typed('a string'), ...range(z.string()) }),
  strict({ ...base, type: z.enum(['URI', 'EMAIL']), ...typed('a string') }),
], {
  error: (iss) => {
    if (typeof iss.input !== 'object' || iss.input === null || Array.isArray(iss.input)) return 'an input must be a mapping with an id and a type';
    if (iss.code !== 'invalid_union') return undefined;
    const type = (iss.input as { type?: unknown }).type;
    if (type === 'FILE') return 'FILE inputs are not supported: Patchbay has no file upload; take a URI or STRING input and fetch the file in a task';
    const expected = `one of ${INPUT_TYPES.join(', ')}`;
    return type === undefined ? `input type is required (${expected})` : `unknown input type ${show(type)}: expected ${expected}`;
  },
});

type Raw = z.output<typeof union>;
/** One input declaration after normalisation: `name` folded into `id`, select values as options. */
export type InputDeclaration = Raw extends infer T ? (T extends unknown ? Omit<T, 'id' | 'name'> & { id: string } : never) : never;

function crossFieldChecks(input: Raw, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string): void => void ctx.addIssue({ code: 'custom', path: [path], message });
  if (input.id === undefined && input.name === undefined) issue('id', 'input needs an id');
  if (input.defaults !== undefined && input.prefill !== undefined) issue('prefill', 'set defaults or prefill, not both');
  const self = input.id ?? input.name;
  if (input.dependsOn?.inputs?.includes(self ?? '')) issue('dependsOn', `input '${self}' cannot depend on itself`);
  switch (input.type) {
    case 'STRING':
    case 'SECRET':
      if (input.validator === undefined) break;
      try { compileValidator(input.validator); } catch (e) {
        issue('validator', `validator ${show(input.validator)} is not a valid regular expression: ${(e as Error).message}`);
      }
      break;
    case 'SELECT':
    case 'ENUM':
    case 'MULTISELECT':
      if ((input.values === undefined) === (input.expression === undefined)) {
        issue('values', `${input.type} input needs exactly one of values or expression`);
      }
      break;
    case 'INT':
    case 'FLOAT':
      if (input.min !== undefined && input.max !== undefined && input.min > input.max) issue('min', `min ${input.min} is greater than max ${input.max}`);
      break;
    case 'DURATION':
    case 'DATETIME':
    case 'DATE':
    case 'TIME': {
      const [low, high] = input.type === 'DURATION' ? ['min', 'max'] as const : ['after', 'before'] as const;
      const bounds = input as unknown as Record<typeof low | typeof high, string | undefined>;
      const parsed = [low, high].map((key) => {
        const value = bounds[key];
        const temporal = value === undefined ? undefined : parseTemporal(input.type, value);
        if (value !== undefined && temporal === undefined) issue(key, `${key} ${show(value)} is not a valid ${input.type} value`);
        return temporal;
      });
      if (parsed[0] && parsed[1] && parsed[0].key > parsed[1].key) {
        issue(low, `${low} ${bounds[low]} is ${input.type === 'DURATION' ? 'longer' : 'later'} than ${high} ${bounds[high]}`);
      }
      break;
    }
    default:
      break;
  }
}

/** Static defaults and prefills must themselves be valid values; templated ones are checked at run time. */
function checkStaticValues(input: InputDeclaration, ctx: z.RefinementCtx): void {
  const dynamicValues = 'expression' in input && input.expression !== undefined;
  for (const key of ['defaults', 'prefill'] as const) {
    const value = input[key];
    if (value === undefined || isTemplate(value) || dynamicValues) continue;
    const result = coerceDeclared(input, value);
    if (!result.ok) {
      const subject = input.type === 'SECRET' ? '"***"' : show(result.subject);
      ctx.addIssue({ code: 'custom', path: [key], message: `${key} ${subject} ${result.problem}` });
    }
  }
}

export const inputDeclarationSchema = union
  .superRefine(crossFieldChecks)
  .transform((input): InputDeclaration => {
    const { id, name, ...rest } = input;
    return { id: id ?? name!, ...rest } as InputDeclaration;
  })
  .superRefine(checkStaticValues);

/** A flow's `inputs` list: ids unique, `dependsOn` names declared inputs and has no cycle. */
export const inputDeclarationsSchema = z.array(inputDeclarationSchema).superRefine((inputs, ctx) => {
  const index = new Map<string, number>();
  inputs.forEach((input, i) => {
    if (index.has(input.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate input id '${input.id}'` });
    else index.set(input.id, i);
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id].join(' -> ');
      ctx.addIssue({ code: 'custom', path: [index.get(id)!, 'dependsOn'], message: `dependsOn cycle: ${cycle}` });
      return;
    }
    state.set(id, 'visiting');
    const input = inputs[index.get(id)!]!;
    for (const dep of input.dependsOn?.inputs ?? []) {
      if (!index.has(dep)) ctx.addIssue({ code: 'custom', path: [index.get(id)!, 'dependsOn', 'inputs'], message: `input '${id}' depends on unknown input '${dep}'` });
      else visit(dep, [...trail, id]);
    }
    state.set(id, 'done');
  };
  for (const id of index.keys()) visit(id, []);
});

/** Parses one declaration or throws FLOW_INVALID listing every problem with its path. */
export function parseInputDeclaration(raw: unknown): InputDeclaration {
  const result = inputDeclarationSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new PatchbayError(ErrorCode.FLOW_INVALID, `invalid input declaration: ${problems.join('; ')}`, { details: { problems } });
}
