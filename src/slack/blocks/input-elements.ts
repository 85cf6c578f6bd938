/**
 * One Slack input block per flow input declaration (run and resume modals share it), and the
 * way back: a view_submission value → the raw value `resolveInputs` coerces. Validation is the
 * engine's; this module only picks widgets and never rejects a value.
 */
import { parseTemporal } from '../../flow/input-coercers.js';
import { isTemplate, toSelectOption, type InputDeclaration, type SelectOption } from '../../flow/input-schema.js';
import type { ContextBlock, InputBlock, InputBlockElement, PlainTextOption, ViewStateValue } from './slack-types.js';
import { LIMITS, code, mrkdwn, plain, showValue, truncate } from './text.js';

/** Every input element uses this action_id; the block_id is the input id. */
export const VALUE_ACTION_ID = 'value';

export interface ElementOptions {
  /** A value already given (e.g. `key=value` on the command line); wins over prefill and defaults. */
  prefilled?: unknown;
  /** Values of a SELECT/MULTISELECT whose `expression` the caller evaluated. */
  options?: readonly string[];
}

/** Flow-author defaults that are templates are computed by the engine: never shown, never sent back. */
const literal = (value: unknown): unknown => (value === undefined || value === null || isTemplate(value) ? undefined : value);

function initialOf(decl: InputDeclaration, prefilled: unknown): unknown {
  if (decl.type === 'SECRET') return undefined; // a secret is never echoed into a form
  if (prefilled !== undefined && prefilled !== null) return prefilled;
  return literal(decl.prefill) ?? literal(decl.defaults);
}

/** Slack refuses an over-long initial value; better no initial value than a silently cut one. */
const initialText = (value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return text !== undefined && text.length <= LIMITS.initialValue ? text : undefined;
};

const textInput = (initial: unknown, multiline = false, placeholder?: string): InputBlockElement => {
  const text = initialText(initial);
  return {
    type: 'plain_text_input',
    action_id: VALUE_ACTION_ID,
    ...(multiline ? { multiline: true } : {}),
    ...(text !== undefined ? { initial_value: text } : {}),
    ...(placeholder ? { placeholder: plain(placeholder, LIMITS.placeholder) } : {}),
  };
};

function numberInput(decl: Extract<InputDeclaration, { type: 'INT' | 'FLOAT' }>, initial: unknown): InputBlockElement {
  const n = typeof initial === 'number' ? initial : typeof initial === 'string' && initial.trim() !== '' ? Number(initial) : NaN;
  // An initial value Slack would refuse (out of range, decimal for INT) fails the whole views.open.
  const usable = Number.isFinite(n) && (decl.type === 'FLOAT' || Number.isInteger(n))
    && (decl.min === undefined || n >= decl.min) && (decl.max === undefined || n <= decl.max);
  return {
    type: 'number_input',
    action_id: VALUE_ACTION_ID,
    is_decimal_allowed: decl.type === 'FLOAT',
    ...(decl.min !== undefined ? { min_value: String(decl.min) } : {}),
    ...(decl.max !== undefined ? { max_value: String(decl.max) } : {}),
    ...(usable ? { initial_value: String(n) } : {}),
  };
}

/** A list given as an array, a JSON array, or comma-separated text (as the coercer accepts). */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch { /* comma-separated */ }
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

const toOption = (o: SelectOption): PlainTextOption => ({ text: plain(o.label, LIMITS.optionText), value: o.value });

/** The choices of a SELECT/MULTISELECT, or undefined when a select widget cannot hold them. */
function choicesOf(decl: InputDeclaration, given: readonly string[] | undefined): SelectOption[] | undefined {
  const raw: readonly unknown[] | undefined = given ?? ('values' in decl ? decl.values : undefined);
  if (!raw) return undefined;
  const seen = new Set<string>();
  const options = raw.map(toSelectOption).filter((o): o is SelectOption => o !== undefined && !seen.has(o.value) && !!seen.add(o.value));
  // A cut value would no longer match: such lists fall back to a text field.
  const fits = options.length > 0 && options.length <= LIMITS.selectOptions && options.every((o) => o.value.length <= LIMITS.optionValue);
  return fits ? options : undefined;
}

function selectElement(decl: Extract<InputDeclaration, { type: 'SELECT' | 'ENUM' | 'MULTISELECT' }>, initial: unknown, given?: readonly string[]): [InputBlockElement, string?] {
  const options = choicesOf(decl, given);
  const multi = decl.type === 'MULTISELECT';
  if (!options || decl.allowCustomValue) {
    const listed = (given ?? decl.values ?? []).map((v) => toSelectOption(v)?.value).filter(Boolean).join(', ');
    const hint = `${multi ? 'Comma-separated. ' : ''}${listed ? `${decl.allowCustomValue ? 'Suggested' : 'One of'}: ${listed}` : ''}`;
    return [textInput(multi ? listOf(initial).join(', ') || undefined : initial), hint.trim()];
  }
  // Kestra's autoSelectFirst: show the option the engine would pick anyway.
  const chosen = initial ?? (decl.autoSelectFirst ? options[0]!.value : undefined);
  const picked = options.filter((o) => (multi ? listOf(chosen) : chosen === undefined ? [] : [String(chosen)]).includes(o.value));
  const opts = { action_id: VALUE_ACTION_ID, options: options.map(toOption) };
  if (multi) return [{ type: 'multi_static_select', ...opts, ...(picked.length ? { initial_options: picked.map(toOption) } : {}) }];
  const type = 'isRadio' in decl && decl.isRadio && options.length <= LIMITS.radioOptions ? 'radio_buttons' : 'static_select';
  return [{ type, ...opts, ...(picked[0] ? { initial_option: toOption(picked[0]) } : {}) }];
}

/** Checkboxes cannot say "not given": where that matters (computed default, dependsOn) Yes/No radios are used. */
function booleanElement(decl: InputDeclaration, initial: unknown): InputBlockElement {
  const on = initial === true || (typeof initial === 'string' && initial.trim().toLowerCase() === 'true');
  const yes: PlainTextOption = { text: plain('Yes', LIMITS.optionText), value: 'true' };
  if (isTemplate(decl.defaults) || decl.dependsOn) {
    const no: PlainTextOption = { text: plain('No', LIMITS.optionText), value: 'false' };
    const off = initial === false || (typeof initial === 'string' && initial.trim().toLowerCase() === 'false');
    return { type: 'radio_buttons', action_id: VALUE_ACTION_ID, options: [yes, no], ...(on ? { initial_option: yes } : off ? { initial_option: no } : {}) };
  }
  return { type: 'checkboxes', action_id: VALUE_ACTION_ID, options: [yes], ...(on ? { initial_options: [yes] } : {}) };
}

/** The Slack element and the type-specific hint, or undefined for a type Slack cannot take (FILE…). */
function elementFor(decl: InputDeclaration, opts: ElementOptions): [InputBlockElement, string?] | undefined {
  const initial = initialOf(decl, opts.prefilled);
  switch (decl.type) {
    case 'STRING':
    case 'SECRET':
      return [textInput(initial), decl.validator !== undefined ? `Must match ${decl.validator}` : undefined];
    case 'EMAIL':
      return [textInput(initial, false, 'name@example.com')];
    case 'URI':
      return [textInput(initial, false, 'https://…')];
    case 'INT':
    case 'FLOAT':
      return [numberInput(decl, initial)];
    case 'BOOL':
    case 'BOOLEAN':
      return [booleanElement(decl, initial)];
    case 'SELECT':
    case 'ENUM':
    case 'MULTISELECT':
      return selectElement(decl, initial, opts.options);
    case 'DATETIME': {
      const at = parseTemporal('DATETIME', initial);
      const seconds = at ? Math.floor(Date.parse(at.text) / 1000) : undefined;
      return [{ type: 'datetimepicker', action_id: VALUE_ACTION_ID, ...(seconds !== undefined ? { initial_date_time: seconds } : {}) }, span(decl)];
    }
    case 'DATE': {
      const date = parseTemporal('DATE', initial);
      return [{ type: 'datepicker', action_id: VALUE_ACTION_ID, ...(date ? { initial_date: date.text } : {}) }, span(decl)];
    }
    case 'TIME': {
      const time = parseTemporal('TIME', initial);
      return [{ type: 'timepicker', action_id: VALUE_ACTION_ID, ...(time ? { initial_time: time.text.slice(0, 5) } : {}) }, span(decl)];
    }
    case 'DURATION': {
      const bounds = [decl.min && `at least ${decl.min}`, decl.max && `at most ${decl.max}`].filter(Boolean).join(', ');
      return [textInput(initial, false, 'PT30M'), `ISO-8601, e.g. PT30M${bounds ? ` (${bounds})` : ''}`];
    }
    case 'JSON':
    case 'YAML':
      return [textInput(initial, true), decl.type === 'JSON' ? 'JSON' : 'YAML'];
    case 'ARRAY':
      return [textInput(Array.isArray(initial) ? JSON.stringify(initial) : initial, true), `A JSON array or comma-separated ${decl.itemType} values`];
    default:
      // Declarations reach here unparsed too (resume forms): an unknown type is shown, not thrown.
      return undefined;
  }
}

function span(decl: Extract<InputDeclaration, { type: 'DATETIME' | 'DATE' | 'TIME' }>): string | undefined {
  const parts = [decl.after && `after ${decl.after}`, decl.before && `before ${decl.before}`].filter(Boolean);
  return parts.length ? `Must be ${parts.join(' and ')}` : undefined;
}

/** Optional whenever leaving the field empty is meaningful: the engine then applies the default or null. */
function isOptional(decl: InputDeclaration, element: InputBlockElement): boolean {
  const autoFirst = 'autoSelectFirst' in decl && decl.autoSelectFirst;
  // A required checkbox would have to be ticked, so `false` could never be submitted.
  return decl.required === false || decl.defaults !== undefined || autoFirst || decl.dependsOn !== undefined || element.type === 'checkboxes';
}

/** The input block for `decl` (block_id = input id), or a context block for a type Slack cannot take. */
export function inputBlock(decl: InputDeclaration, opts: ElementOptions = {}): InputBlock | ContextBlock {
  const built = elementFor(decl, opts);
  const name = decl.displayName ?? decl.id;
  if (!built) {
    const type = (decl as { type: unknown }).type;
    const text = `${code(name)} (${showValue(type)}) cannot be entered here: give it on the command line, as ${code(`${decl.id}=…`)}`;
    return { type: 'context', block_id: truncate(decl.id, LIMITS.blockId), elements: [mrkdwn(text, LIMITS.contextText)] };
  }
  const [element, typeHint] = built;
  const condition = decl.dependsOn?.condition ?? (decl.dependsOn?.inputs?.length ? `depends on ${decl.dependsOn.inputs.join(', ')}` : undefined);
  const hint = [
    decl.description,
    typeHint,
    isTemplate(decl.defaults) ? 'Leave empty for the default the flow computes' : undefined,
    decl.type === 'SECRET' && decl.defaults !== undefined ? 'Leave empty to use the default' : undefined,
    condition ? `Used only when ${condition}` : undefined,
  ].filter((part): part is string => !!part).join(' · ');
  return {
    type: 'input',
    block_id: decl.id,
    label: plain(name, LIMITS.label),
    element,
    ...(isOptional(decl, element) ? { optional: true } : {}),
    ...(hint ? { hint: plain(hint, LIMITS.hint) } : {}),
  };
}

/** One submitted value, as the raw value the engine coerces; undefined means "not given". */
export function readInputValue(state: ViewStateValue | undefined): unknown {
  if (!state) return undefined;
  switch (state.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
      return state.value === null || state.value === undefined || state.value === '' ? undefined : state.value;
    case 'number_input': {
      const text = state.value ?? '';
      // Numbers as numbers; anything odd stays text so the engine's message quotes what was typed.
      return text === '' ? undefined : /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    }
    case 'checkboxes':
      return (state.selected_options ?? []).some((o) => o.value === 'true');
    case 'radio_buttons':
    case 'static_select':
      return state.selected_option?.value ?? undefined;
    case 'multi_static_select': {
      const values = (state.selected_options ?? []).map((o) => o.value);
      return values.length ? values : undefined;
    }
    case 'datepicker':
      return state.selected_date ?? undefined;
    case 'timepicker':
      return state.selected_time ?? undefined;
    case 'datetimepicker':
      return typeof state.selected_date_time === 'number'
        ? new Date(state.selected_date_time * 1000).toISOString().replace('.000Z', 'Z')
        : undefined;
    default:
      return undefined;
  }
}

/** Every declared input that was given, keyed by id, ready for `resolveInputs`. */
export function readInputValues(declarations: readonly InputDeclaration[], values: Record<string, Record<string, ViewStateValue>>): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const decl of declarations) {
    // Own properties only: an input named `constructor` must not read Object.prototype.
    const block = Object.hasOwn(values, decl.id) ? values[decl.id] : undefined;
    const state = block && Object.hasOwn(block, VALUE_ACTION_ID) ? block[VALUE_ACTION_ID] : undefined;
    const value = readInputValue(state);
    if (value !== undefined) given[decl.id] = value;
  }
  return given;
}
