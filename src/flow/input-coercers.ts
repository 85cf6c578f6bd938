/**
 * Turns one raw value into the typed value of a Kestra input type and checks the declaration's
 * constraints. Text (CLI `key=value`, Slack forms) is parsed; typed values (JSON/YAML callers,
 * Subflow inputs) are checked. Pure. Failures are returned, never thrown: `subject` is the
 * offending value and `problem` reads after it in a message.
 */
import { parse as parseYaml } from 'yaml';
import type { InputDeclaration, ItemType, SelectOption } from './input-schema.js';

export type InputRule = 'required' | 'unknown' | 'type' | 'validator' | 'values' | 'min' | 'max'
  | 'after' | 'before' | 'expression' | 'dependsOn' | 'default';

export type Coerced =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly rule: InputRule; readonly subject: unknown; readonly problem: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (rule: InputRule, subject: unknown, problem: string): Coerced => ({ ok: false, rule, subject, problem });

/** A parsed temporal value: `text` is the normalised form, `key` orders values of one type. */
export interface Temporal { readonly text: string; readonly key: bigint }
type TemporalType = 'DATETIME' | 'DATE' | 'TIME' | 'DURATION';

const validators = new Map<string, RegExp>();
/**
 * Kestra checks `validator` with Java's `Pattern.matches`, which must match the WHOLE value, so the
 * pattern is anchored. Java's leading inline flags (`(?i)`) become JS flags. Throws SyntaxError.
 */
export function compileValidator(pattern: string): RegExp {
  let compiled = validators.get(pattern);
  if (compiled === undefined) {
    const inline = /^\(\?([ims]+)\)/.exec(pattern);
    const body = inline ? pattern.slice(inline[0].length) : pattern;
    compiled = new RegExp(`^(?:${body})$`, inline?.[1] ?? '');
    validators.set(pattern, compiled);
  }
  return compiled;
}

const pad = (n: number | bigint, width = 2): string => String(n).padStart(width, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const validDate = (y: number, m: number, d: number): boolean =>
  m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && leap(y) ? 29 : DAYS[m - 1]!);
/** Java prints a fraction of a second in groups of 3 digits, and not at all when it is zero. */
const fraction = (nanos: number): string =>
  nanos === 0 ? '' : `.${pad(nanos, 9).slice(0, nanos % 1e6 === 0 ? 3 : nanos % 1e3 === 0 ? 6 : 9)}`;
const nanosOf = (digits: string | undefined): number => Number((digits ?? '').padEnd(9, '0'));

function daysSinceEpoch(y: number, m: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // unlike Date.UTC, keeps years 0-99 as written
  return Math.round(date.getTime() / 86_400_000);
}

function parseTime(text: string): Temporal | undefined {
  const t = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text);
  if (!t) return undefined;
  const [h, m, s, n] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0), nanosOf(t[4])];
  if (h > 23 || m > 59 || s > 59) return undefined;
  const key = BigInt((h * 3600 + m * 60 + s) * 1e9 + n);
  return { text: `${pad(h)}:${pad(m)}:${pad(s)}${fraction(n)}`, key };
}

function parseDate(text: string): Temporal | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!d || !validDate(Number(d[1]), Number(d[2]), Number(d[3]))) return undefined;
  return { text, key: BigInt(daysSinceEpoch(Number(d[1]), Number(d[2]), Number(d[3]))) };
}

/** An instant with a zone offset (Kestra's `Instant.parse`), normalised to UTC: `2024-01-02T03:04:05Z`. */
function parseInstant(text: string): Temporal | undefined {
  const i = /^(\d{4}-\d{2}-\d{2})T([\d:.]+)(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const date = i && parseDate(i[1]!);
  const time = i && parseTime(i[2]!);
  if (!i || !date || !time) return undefined;
  const zone = /^([+-])(\d{2}):(\d{2})$/.exec(i[3]!);
  const offset = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 3600 + Number(zone[3]) * 60) : 0;
  if (Math.abs(offset) > 18 * 3600 || Number(zone?.[3] ?? 0) > 59) return undefined; // Java's ZoneOffset range
  const nanos = Number(time.key % 1_000_000_000n);
  const seconds = Number(date.key) * 86_400 + Number(time.key / 1_000_000_000n) - offset;
  const utc = new Date(seconds * 1000).toISOString().slice(0, 19);
  return { text: `${utc}${fraction(nanos)}Z`, key: BigInt(seconds) * 1_000_000_000n + BigInt(nanos) };
}

/** Java's `Duration.parse` grammar: days, hours, minutes, seconds; no years, months or weeks. */
function parseDuration(text: string): Temporal | undefined {
  const d = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?)(\d+)(?:[.,](\d{0,9}))?S)?)?$/i.exec(text);
  if (!d || /T$/i.test(text) || /^[-+]?P$/i.test(text)) return undefined;
  const part = (v: string | undefined, unit: bigint): bigint => BigInt(v ?? 0) * unit * 1_000_000_000n;
  const seconds = (BigInt(d[6] ?? 0) * 1_000_000_000n + BigInt(nanosOf(d[7]))) * (d[5] === '-' ? -1n : 1n);
  const total = (part(d[2], 86_400n) + part(d[3], 3600n) + part(d[4], 60n) + seconds) * (d[1] === '-' ? -1n : 1n);
  return { text: formatDuration(total), key: total };
}

/** Java's `Duration.toString`, so `PT90M` and `P1D` come back as Kestra shows them: `PT1H30M`, `PT24H`. */
function formatDuration(total: bigint): string {
  if (total === 0n) return 'PT0S';
  const [sign, abs] = total < 0n ? ['-', -total] : ['', total];
  const [secs, nanos] = [abs / 1_000_000_000n, Number(abs % 1_000_000_000n)];
  const [h, m, s] = [secs / 3600n, (secs % 3600n) / 60n, secs % 60n];
  let out = `PT${h ? `${sign}${h}H` : ''}${m ? `${sign}${m}M` : ''}`;
  if (s === 0n && nanos === 0 && out.length > 2) return out;
  out += `${sign}${s}${nanos ? `.${pad(nanos, 9).replace(/0+$/, '')}` : ''}`;
  return `${out}S`;
}

const TEMPORAL: Record<TemporalType, [(text: string) => Temporal | undefined, string]> = {
  DATETIME: [parseInstant, 'is not an ISO-8601 date-time with a zone, like 2024-01-02T03:04:05Z'],
  DATE: [parseDate, 'is not a date in the form yyyy-MM-dd'],
  TIME: [parseTime, 'is not a time in the form HH:mm or HH:mm:ss'],
  DURATION: [parseDuration, 'is not an ISO-8601 duration, like PT5M or P1DT2H'],
};

export function parseTemporal(type: TemporalType, raw: unknown): Temporal | undefined {
  if (raw instanceof Date && !Number.isNaN(raw.getTime()) && (type === 'DATETIME' || type === 'DATE')) {
    raw = type === 'DATE' ? raw.toISOString().slice(0, 10) : raw.toISOString();
  }
  return typeof raw === 'string' ? TEMPORAL[type][0](raw.trim()) : undefined;
}

const EMAIL = /^[a-zA-Z0-9_!#$%&'’*+/=?`{|}~^.-]+@[a-zA-Z0-9.-]+$/; // Kestra's EmailInput pattern
const text = (raw: unknown): string | undefined =>
  typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;

/** Coerces one value of a type that needs no declaration (also the item types of ARRAY/MULTISELECT). */
export function coerceScalar(type: ItemType | 'SECRET', raw: unknown): Coerced {
  const trimmed = typeof raw === 'string' ? raw.trim() : raw;
  switch (type) {
    case 'STRING':
    case 'SECRET': {
      const value = text(raw);
      return value === undefined ? fail('type', raw, 'is not a string') : ok(value);
    }
    case 'INT':
      if (typeof trimmed === 'number' ? Number.isSafeInteger(trimmed)
        : typeof trimmed === 'string' && /^[+-]?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))) return ok(Number(trimmed));
      return fail('type', raw, 'is not an integer');
    case 'FLOAT':
      if (typeof trimmed === 'number' ? Number.isFinite(trimmed)
        : typeof trimmed === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return ok(Number(trimmed));
      return fail('type', raw, 'is not a number');
    case 'BOOL':
    case 'BOOLEAN':
      if (typeof raw === 'boolean') return ok(raw);
      if (typeof trimmed === 'string' && /^(true|false)$/i.test(trimmed)) return ok(trimmed.toLowerCase() === 'true');
      return fail('type', raw, 'is not a boolean (true or false)');
    case 'DATETIME':
    case 'DATE':
    case 'TIME':
    case 'DURATION': {
      const parsed = parseTemporal(type, raw);
      return parsed ? ok(parsed.text) : fail('type', raw, TEMPORAL[type][1]);
    }
    case 'JSON':
      if (typeof raw !== 'string') return ok(raw);
      try { return ok(JSON.parse(raw)); } catch (e) { return fail('type', raw, `is not valid JSON: ${(e as Error).message}`); }
    case 'YAML':
      if (typeof raw !== 'string') return ok(raw);
      try { return ok(parseYaml(raw)); } catch (e) { return fail('type', raw, `is not valid YAML: ${(e as Error).message.split('\n')[0]}`); }
    case 'URI': {
      // An absolute URI has a scheme; the WHATWG parser then rejects malformed authorities and ports.
      if (typeof raw === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(raw)) {
        try { new URL(raw); return ok(raw); } catch { /* reported below */ }
      }
      return fail('type', raw, 'is not an absolute URI');
    }
    case 'EMAIL':
      return typeof trimmed === 'string' && EMAIL.test(trimmed) ? ok(trimmed) : fail('type', raw, 'is not an email address');
  }
}

/** MULTISELECT and ARRAY accept a list, a JSON array string, or comma-separated text. */
function toList(raw: unknown): unknown[] | Coerced {
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== 'string') return fail('type', raw, 'is not a list');
  if (!raw.trim().startsWith('[')) return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : fail('type', raw, 'is not a JSON array');
  } catch (e) {
    return fail('type', raw, `is not a JSON array: ${(e as Error).message}`);
  }
}

const bound = (rule: 'min' | 'max', subject: unknown, limit: unknown, comparison: string): Coerced =>
  fail(rule, subject, `is ${comparison} the ${rule === 'min' ? 'minimum' : 'maximum'} ${String(limit)}`);

/** Coerces `raw` for `decl`, then checks its constraints. `allowed` replaces `values` once an `expression` produced them. */
export function coerceDeclared(decl: InputDeclaration, raw: unknown, allowed?: readonly SelectOption[]): Coerced {
  switch (decl.type) {
    case 'SELECT':
    case 'ENUM':
    case 'MULTISELECT':
    case 'ARRAY': {
      const single = decl.type === 'SELECT' || decl.type === 'ENUM';
      const items = single ? [raw] : toList(raw);
      if (!Array.isArray(items)) return items;
      const choices = 'allowCustomValue' in decl && !decl.allowCustomValue ? (allowed ?? decl.values ?? []).map((o) => o.value) : undefined;
      const out: unknown[] = [];
      for (const [index, item] of items.entries()) {
        const at = single ? '' : ` (item ${index + 1})`;
        const value = decl.type === 'ARRAY' ? item : text(item); // options are strings, as in Kestra
        if (value === undefined) return fail('type', item, `is not a string${at}`);
        if (choices && !choices.includes(value as string)) {
          return fail('values', value, choices.length ? `is not one of ${choices.join(', ')}${at}` : 'is not allowed: the list of values is empty');
        }
        const typed = 'itemType' in decl ? coerceScalar(decl.itemType, value) : ok(value);
        if (!typed.ok) return { ...typed, problem: `${typed.problem}${at}` };
        out.push(typed.value);
      }
      return ok(single ? out[0] : out);
    }
    case 'STRING':
    case 'SECRET': {
      const value = coerceScalar(decl.type, raw);
      if (!value.ok || decl.validator === undefined || compileValidator(decl.validator).test(value.value as string)) return value;
      return fail('validator', value.value, `does not match ${decl.validator}`);
    }
    case 'INT':
    case 'FLOAT': {
      const value = coerceScalar(decl.type, raw);
      if (!value.ok) return value;
      const n = value.value as number;
      if (decl.min !== undefined && n < decl.min) return bound('min', n, decl.min, 'less than');
      if (decl.max !== undefined && n > decl.max) return bound('max', n, decl.max, 'greater than');
      return value;
    }
    case 'DURATION':
    case 'DATETIME':
    case 'DATE':
    case 'TIME': {
      const value = parseTemporal(decl.type, raw);
      if (!value) return fail('type', raw, TEMPORAL[decl.type][1]);
      const duration = decl.type === 'DURATION';
      const [low, high] = (duration ? [decl.min, decl.max] : [decl.after, decl.before])
        .map((limit) => (limit === undefined ? undefined : parseTemporal(decl.type, limit)));
      if (low && value.key < low.key) {
        return duration ? bound('min', value.text, low.text, 'shorter than') : fail('after', value.text, `is before ${low.text}, the earliest allowed`);
      }
      if (high && value.key > high.key) {
        return duration ? bound('max', value.text, high.text, 'longer than') : fail('before', value.text, `is after ${high.text}, the latest allowed`);
      }
      return ok(value.text);
    }
    default:
      return coerceScalar(decl.type, raw);
  }
}
