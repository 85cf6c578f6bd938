/**
 * Cron expressions as Kestra's Schedule trigger accepts them (its cron-utils definition):
 * 5 fields `minute hour day-of-month month day-of-week`, or 6 with a leading seconds field
 * when `withSeconds` is set, strict ranges, `*`, lists, ranges, steps, month and weekday
 * names, `0` and `7` both Sunday, and the nicknames @yearly @annually @monthly @weekly
 * @daily @midnight @hourly. Pure: no clock, no zone.
 */

export interface CronSpec {
  /** The expression as written. */
  readonly source: string;
  readonly withSeconds: boolean;
  /** The 5 or 6 fields after expanding a nickname (what `describeCron` words). */
  readonly fields: readonly string[];
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  readonly daysOfWeek: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week were restricted (not `*`): both restricted = either matches (Vixie cron). */
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
}

/** A cron expression that cannot be parsed; `message` says which field and why. */
export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Value of names[0]. */
  namesBase?: number;
}

const SECOND: FieldRule = { name: 'seconds', min: 0, max: 59 };
const MINUTE: FieldRule = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldRule = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldRule = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldRule = { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesBase: 1 };
const DAY_OF_WEEK: FieldRule = { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, namesBase: 0 };

function atom(text: string, rule: FieldRule): number {
  const upper = text.toUpperCase();
  const named = rule.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (rule.namesBase ?? 0);
  if (!/^\d+$/.test(text)) {
    const hint = rule.names ? ` (a number ${rule.min}-${rule.max} or ${rule.names[0]}…${rule.names.at(-1)})` : ` (a number ${rule.min}-${rule.max})`;
    throw new CronSyntaxError(`${rule.name} field: \`${text}\` is not a valid value${hint}`);
  }
  const value = Number(text);
  if (value < rule.min || value > rule.max) {
    throw new CronSyntaxError(`${rule.name} field: ${value} is out of range ${rule.min}-${rule.max}`);
  }
  return value;
}

/** One field → its sorted values; `restricted` is false for a bare `*` (or `?`). */
function parseField(text: string, rule: FieldRule): { values: number[]; restricted: boolean } {
  if (text === '*' || text === '?') return { values: range(rule.min, rule.max, 1), restricted: false };
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new CronSyntaxError(`${rule.name} field: empty list item in \`${text}\``);
    const [base = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronSyntaxError(`${rule.name} field: \`${part}\` has more than one /`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new CronSyntaxError(`${rule.name} field: step \`${stepText}\` must be a positive whole number`);
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (base === '*' || base === '?') {
      [from, to] = [rule.min, rule.max];
    } else if (base.includes('-')) {
      const [a = '', b = '', more] = base.split('-');
      if (more !== undefined) throw new CronSyntaxError(`${rule.name} field: \`${base}\` is not a range`);
      [from, to] = [atom(a, rule), atom(b, rule)];
      if (from > to) throw new CronSyntaxError(`${rule.name} field: range \`${base}\` runs backwards`);
    } else {
      from = atom(base, rule);
      // `5/15` means from 5 to the end in steps of 15, as in cron-utils and Vixie cron.
      to = stepText === undefined ? from : rule.max;
    }
    for (const v of range(from, to, step)) values.add(v);
  }
  return { values: [...values].sort((a, b) => a - b), restricted: true };
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Parses a cron expression; throws CronSyntaxError naming the field at fault. */
export function parseCron(source: string, withSeconds = false): CronSpec {
  const trimmed = source.trim();
  if (trimmed === '') throw new CronSyntaxError('the cron expression is empty');
  let text = trimmed;
  if (trimmed.startsWith('@')) {
    const expanded = NICKNAMES[trimmed.toLowerCase()];
    if (!expanded) {
      throw new CronSyntaxError(`unknown nickname \`${trimmed}\` (use one of ${Object.keys(NICKNAMES).join(', ')})`);
    }
    text = withSeconds ? `0 ${expanded}` : expanded;
  }
  const fields = text.split(/\s+/);
  const expected = withSeconds ? 6 : 5;
  if (fields.length !== expected) {
    const hint = withSeconds
      ? 'withSeconds is true, so 6 fields are expected: second minute hour day-of-month month day-of-week'
      : fields.length === 6
        ? '5 fields are expected (minute hour day-of-month month day-of-week); set withSeconds: true for a leading seconds field'
        : '5 fields are expected: minute hour day-of-month month day-of-week';
    throw new CronSyntaxError(`\`${trimmed}\` has ${fields.length} field${fields.length === 1 ? '' : 's'}; ${hint}`);
  }
  const [s, mi, h, dom, mo, dow] = withSeconds ? fields : ['0', ...fields];
  const dayOfWeek = parseField(dow ?? '', DAY_OF_WEEK);
  const dayOfMonth = parseField(dom ?? '', DAY_OF_MONTH);
  return {
    source: trimmed,
    withSeconds,
    fields,
    seconds: parseField(s ?? '', SECOND).values,
    minutes: parseField(mi ?? '', MINUTE).values,
    hours: parseField(h ?? '', HOUR).values,
    daysOfMonth: new Set(dayOfMonth.values),
    months: new Set(parseField(mo ?? '', MONTH).values),
    // 7 is Sunday too.
    daysOfWeek: new Set(dayOfWeek.values.map((d) => d % 7)),
    domRestricted: dayOfMonth.restricted,
    dowRestricted: dayOfWeek.restricted,
  };
}

/** Whether the calendar day (proleptic Gregorian, no zone) matches the date fields. */
export function dayMatches(spec: CronSpec, year: number, month: number, day: number): boolean {
  if (!spec.months.has(month)) return false;
  const dom = spec.daysOfMonth.has(day);
  const dow = spec.daysOfWeek.has(new Date(Date.UTC(year, month - 1, day)).getUTCDay());
  if (spec.domRestricted && spec.dowRestricted) return dom || dow;
  return dom && dow;
}

/** First matching second-of-day in [from, to), or undefined. */
export function firstTimeOfDay(spec: CronSpec, from: number, to: number): number | undefined {
  for (const h of spec.hours) {
    if ((h + 1) * 3600 <= from) continue;
    for (const m of spec.minutes) {
      const base = h * 3600 + m * 60;
      if (base + 60 <= from) continue;
      for (const s of spec.seconds) {
        const t = base + s;
        if (t >= to) return undefined;
        if (t >= from) return t;
      }
    }
  }
  return undefined;
}

/** Last matching second-of-day in [from, to), or undefined. */
export function lastTimeOfDay(spec: CronSpec, from: number, to: number): number | undefined {
  for (let hi = spec.hours.length - 1; hi >= 0; hi--) {
    const h = spec.hours[hi] as number;
    if (h * 3600 >= to) continue;
    for (let mi = spec.minutes.length - 1; mi >= 0; mi--) {
      const base = h * 3600 + (spec.minutes[mi] as number) * 60;
      if (base >= to) continue;
      for (let si = spec.seconds.length - 1; si >= 0; si--) {
        const t = base + (spec.seconds[si] as number);
        if (t < from) return undefined;
        if (t < to) return t;
      }
    }
  }
  return undefined;
}
