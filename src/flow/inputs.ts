/**
 * Resolves the inputs of one execution: given values (CLI, Slack form, API, Subflow) are coerced
 * to their declared types, defaults applied, `dependsOn` conditions evaluated, and EVERY problem
 * returned at once, so an operator fixes a command in one go instead of one error per attempt.
 *
 * Security invariant: only flow-author text (templated `defaults`, `expression`, `condition`) is
 * ever passed to the render callbacks. A user-supplied value is data, even if it reads `{{ ... }}`.
 */
import { closest, distance } from 'fastest-levenshtein';
import { ErrorCode, PatchbayError } from '../errors.js';
import { coerceDeclared, type InputRule } from './input-coercers.js';
import { isTemplate, show, toSelectOption, type InputDeclaration, type SelectOption } from './input-schema.js';

export type { InputRule } from './input-coercers.js';

/** What templates see: the inputs resolved so far, nested on dots like Kestra (`a.b` → `inputs.a.b`). */
export interface InputRenderContext { readonly inputs: Record<string, unknown> }

/** The expression engine, passed in so this module stays pure and never renders user values. */
export interface ResolveInputsOptions {
  /** Renders a templated `defaults` string to text; the text is then coerced like a given value. */
  render(template: string, context: InputRenderContext): string | Promise<string>;
  /** Renders to a typed value: a SELECT/MULTISELECT `expression` (a list), a `dependsOn.condition` (a boolean). */
  renderTyped(template: string, context: InputRenderContext): unknown;
}

export interface InputError {
  /** The declared input, or the unknown key that was given. */
  readonly inputId: string;
  /** The offending value; `"***"` for SECRET inputs. */
  readonly value: unknown;
  readonly rule: InputRule;
  readonly message: string;
}

export interface ResolveInputsResult {
  /** Typed values by input id; optional inputs without a value are null, disabled ones absent; empty if any error. */
  readonly values: Record<string, unknown>;
  readonly errors: InputError[];
  /** Every SECRET input id, given or not, so callers mask given and resolved values in logs and Slack. */
  readonly secretInputIds: string[];
}

export interface CoerceContext {
  /** Allowed values rendered from a SELECT/MULTISELECT `expression`. */
  readonly allowedValues?: readonly SelectOption[];
  /** The value came from `defaults`: messages say so, pointing at the flow instead of the operator. */
  readonly fromDefault?: boolean;
}

export type CoerceResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: InputError };

const masked = (decl: InputDeclaration, value: unknown): unknown => (decl.type === 'SECRET' ? '***' : value);
const where = (decl: InputDeclaration, fromDefault = false): string => `input '${decl.id}'${fromDefault ? ' (default)' : ''}`;
const inputError = (decl: InputDeclaration, value: unknown, rule: InputRule, text: string, fromDefault = false): InputError =>
  ({ inputId: decl.id, value: masked(decl, value), rule, message: `${where(decl, fromDefault)}: ${text}` });

/** Coerces one raw value (text or already typed) to `declaration`'s type and checks its constraints. */
export function coerceInput(declaration: InputDeclaration, raw: unknown, context: CoerceContext = {}): CoerceResult {
  const result = coerceDeclared(declaration, raw, context.allowedValues);
  if (result.ok) return result;
  const subject = declaration.type === 'SECRET' ? '"***"' : show(result.subject);
  return { ok: false, error: inputError(declaration, raw, result.rule, `${subject} ${result.problem}`, context.fromDefault) };
}

// Ids like `toString` or `a.__proto__` are valid: read own properties only, and define rather than
// assign, so an id can never reach or replace an object's prototype.
const own = (record: object, key: string): unknown => (Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined);
const define = (record: object, key: string, value: unknown): void =>
  void Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });

/** Turns flat dotted ids into nested objects, as Kestra exposes `nested.string` as `inputs.nested.string`. */
export function nestInputValues(values: Record<string, unknown>): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(values)) {
    const path = id.split('.');
    let node: object = nested;
    for (const key of path.slice(0, -1)) {
      const next = own(node, key);
      if (next === null || typeof next !== 'object' || Array.isArray(next)) define(node, key, {});
      node = own(node, key) as object;
    }
    define(node, path[path.length - 1]!, value);
  }
  return nested;
}

/** An empty form field means "not given", except for text types where "" is a deliberate value. */
const isMissing = (decl: InputDeclaration, raw: unknown): boolean =>
  raw === undefined || raw === null || (raw === '' && decl.type !== 'STRING' && decl.type !== 'SECRET');

/** Declaration order, moved only as far as needed for each input to come after what it depends on. */
function evaluationOrder(declarations: readonly InputDeclaration[]): InputDeclaration[] {
  const byId = new Map(declarations.map((d) => [d.id, d]));
  const order: InputDeclaration[] = [];
  const seen = new Set<string>();
  const visit = (decl: InputDeclaration): void => {
    if (seen.has(decl.id)) return; // also ends cycles, which the flow schema reports
    seen.add(decl.id);
    for (const dep of decl.dependsOn?.inputs ?? []) {
      const target = byId.get(dep);
      if (target) visit(target);
    }
    order.push(decl);
  };
  declarations.forEach(visit);
  return order;
}

function unknownKeyError(key: string, declared: readonly string[], given: unknown): InputError {
  const near = declared.length ? closest(key, [...declared]) : undefined;
  const hint = near !== undefined && distance(key, near) <= Math.max(1, Math.floor(near.length / 3)) ? ` (did you mean '${near}'?)` : '';
  const known = declared.length ? `this flow declares: ${declared.join(', ')}` : 'this flow declares no inputs';
  return { inputId: key, value: given, rule: 'unknown', message: `unknown input '${key}'${hint}; ${known}` };
}

/** Renders flow-author text; a failure is the flow's, so the error names what failed to render. */
async function attempt<T>(decl: InputDeclaration, rule: InputRule, what: string, render: () => T | Promise<T>): Promise<{ value: T } | InputError> {
  try {
    return { value: await render() };
  } catch (e) {
    return inputError(decl, undefined, rule, `cannot evaluate its ${what}: ${(e as Error).message}`);
  }
}
const failed = (outcome: object): outcome is InputError => 'rule' in outcome;

/** Resolves every declared input; never throws for a user's mistake, and reports all of them. */
export async function resolveInputs(
  declarations: readonly InputDeclaration[],
  given: Readonly<Record<string, unknown>>,
  options: ResolveInputsOptions,
): Promise<ResolveInputsResult> {
  const declared = declarations.map((d) => d.id);
  const unknown = Object.keys(given).filter((key) => !declared.includes(key)).map((key) => unknownKeyError(key, declared, given[key]));
  const values: Record<string, unknown> = {};
  const problems = new Map<string, InputError>();
  const disabled = new Set<string>();
  const context = (): InputRenderContext => ({ inputs: nestInputValues(values) });

  for (const decl of evaluationOrder(declarations)) {
    const deps = decl.dependsOn?.inputs ?? [];
    const raw = own(given, decl.id);
    // A failed dependency already explains this input's fate; evaluating on would only add noise.
    if (deps.some((dep) => problems.has(dep))) continue;
    let enabled = !deps.some((dep) => disabled.has(dep));
    const condition = decl.dependsOn?.condition;
    if (enabled && condition !== undefined) {
      const verdict = await attempt(decl, 'dependsOn', 'dependsOn condition', () => options.renderTyped(condition, context()));
      if (failed(verdict)) { problems.set(decl.id, verdict); continue; }
      enabled = verdict.value === true || verdict.value === 'true';
    }
    if (!enabled) {
      disabled.add(decl.id);
      if (!isMissing(decl, raw) && raw !== '') {
        problems.set(decl.id, inputError(decl, raw, 'dependsOn', 'was given but is not used: its dependsOn condition is not met'));
      }
      continue;
    }
    const allowed = await allowedValues(decl, options, context);
    if (allowed !== undefined && failed(allowed)) { problems.set(decl.id, allowed); continue; }

    let value = raw;
    const fromDefault = isMissing(decl, raw);
    if (fromDefault && isTemplate(decl.defaults)) {
      const template = decl.defaults;
      const rendered = await attempt(decl, 'default', 'default', () => options.render(template, context()));
      if (failed(rendered)) { problems.set(decl.id, rendered); continue; }
      value = rendered.value;
    } else if (fromDefault) {
      value = decl.defaults ?? firstValue(decl, allowed);
    }
    if (isMissing(decl, value)) {
      if (!decl.required) define(values, decl.id, null);
      else problems.set(decl.id, { inputId: decl.id, value: null, rule: 'required', message: `${where(decl)} is required` });
      continue;
    }
    const result = coerceInput(decl, value, { allowedValues: allowed, fromDefault });
    if (result.ok) define(values, decl.id, result.value);
    else problems.set(decl.id, result.error);
  }
  const errors = [...unknown, ...declarations.flatMap((d) => problems.get(d.id) ?? [])];
  const secretInputIds = declarations.filter((d) => d.type === 'SECRET').map((d) => d.id);
  return { values: errors.length ? {} : values, errors, secretInputIds };
}

/** Kestra's `autoSelectFirst`: with no default, the first option is the default. */
function firstValue(decl: InputDeclaration, allowed: readonly SelectOption[] | undefined): unknown {
  if (!('autoSelectFirst' in decl) || !decl.autoSelectFirst) return undefined;
  const first = (allowed ?? decl.values)?.[0];
  return first === undefined ? undefined : decl.type === 'MULTISELECT' ? [first.value] : first.value;
}

/** The options of a SELECT/MULTISELECT rendered from its `expression`; undefined when it has static values. */
async function allowedValues(
  decl: InputDeclaration,
  options: ResolveInputsOptions,
  context: () => InputRenderContext,
): Promise<readonly SelectOption[] | InputError | undefined> {
  if (!('expression' in decl) || decl.expression === undefined) return undefined;
  const expression = decl.expression.trim();
  const list = await attempt(decl, 'expression', 'expression', () => options.renderTyped(expression, context()));
  if (failed(list)) return list;
  const parsed = Array.isArray(list.value) ? list.value.filter((item) => item !== null && item !== undefined).map(toSelectOption) : [undefined];
  if (parsed.every((option) => option !== undefined)) return parsed;
  return inputError(decl, undefined, 'expression', `its expression must produce a list of values, got ${show(list.value)}`);
}

/** One INPUT_INVALID error carrying every problem, for callers that stop at the first failure. */
export function inputErrorsToPatchbayError(errors: readonly InputError[]): PatchbayError {
  return new PatchbayError(ErrorCode.INPUT_INVALID, errors.map((e) => e.message).join('\n'), { details: { errors } });
}
