import { defineFilter, exprError, type ExprArgs, type ExprFilter } from '../define.js';
import { formatZoned } from '../java-date-format.js';
import { toZonedTime } from '../java-date-parse.js';
import { atZone, CHRONO_UNITS, plusUnit, resolveZone, UTC, type JavaZone, type ZonedTime } from '../java-time.js';
import { intArg, isNullish, show, stringArg } from './values.js';

/**
 * Kestra's temporal filters. Formats are Java `DateTimeFormatter` patterns or Kestra's named
 * formats (`iso` by default: `yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX`). Kestra falls back to the JVM's
 * time zone when `timeZone` is absent; Patchbay uses UTC so that output does not depend on the
 * host. The result is always shown in `timeZone`, whatever zone the input carried.
 */
interface DateOptions {
  zone: JavaZone;
  existingFormat: string | undefined;
  locale: string;
}

/** Java locales are written `fr_FR`; Intl wants `fr-FR`. */
function locale(owner: string, value: unknown): string {
  if (isNullish(value)) return 'en-US';
  const tag = stringArg(owner, 'locale', value).replace(/_/g, '-');
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en-US';
  } catch {
    throw exprError(`\`${owner}\`: invalid locale ${show(value)}`);
  }
}

function options(owner: string, args: ExprArgs): DateOptions {
  return {
    zone: isNullish(args.timeZone) ? UTC : resolveZone(owner, stringArg(owner, 'timeZone', args.timeZone)),
    existingFormat: isNullish(args.existingFormat) ? undefined : stringArg(owner, 'existingFormat', args.existingFormat),
    locale: locale(owner, args.locale),
  };
}

const formatOf = (owner: string, args: ExprArgs): string => (isNullish(args.format) ? 'iso' : stringArg(owner, 'format', args.format));

/** `date(format, timeZone, existingFormat, locale)`, also used by the `now()` function. */
export function formatDate(owner: string, input: unknown, args: ExprArgs): string {
  const { zone, existingFormat, locale } = options(owner, args);
  const time = toZonedTime(owner, input, zone, existingFormat, locale);
  return formatZoned(owner, atZone(time, zone), formatOf(owner, args), locale);
}

function zonedInput(owner: string, input: unknown, args: ExprArgs): ZonedTime {
  const { zone, existingFormat, locale } = options(owner, args);
  return toZonedTime(owner, input, zone, existingFormat, locale);
}

function timestampFilter(name: string, toEpoch: (time: ZonedTime) => number | string): ExprFilter {
  return defineFilter({
    name,
    params: ['timeZone', 'existingFormat'],
    apply: (input, args) => (isNullish(input) ? null : toEpoch(zonedInput(name, input, args))),
  });
}

export const dateFilters: ExprFilter[] = [
  defineFilter({
    name: 'date',
    params: ['format', 'timeZone', 'existingFormat', 'locale'],
    apply: (input, args) => (isNullish(input) ? null : formatDate('date', input, args)),
  }),
  defineFilter({
    name: 'dateAdd',
    params: ['amount', 'unit', 'format', 'timeZone', 'existingFormat', 'locale'],
    apply(input, args) {
      if (isNullish(input)) return null;
      if (args.amount === undefined) throw exprError('`dateAdd` expects an integer argument `amount`');
      const amount = intArg('dateAdd', 'amount', args.amount);
      if (isNullish(args.unit)) throw exprError(`\`dateAdd\` expects an argument \`unit\`, one of ${CHRONO_UNITS.join(', ')}`);
      const unit = stringArg('dateAdd', 'unit', args.unit);
      const { zone, locale } = options('dateAdd', args);
      const moved = plusUnit('dateAdd', zonedInput('dateAdd', input, args), amount, unit);
      return formatZoned('dateAdd', atZone(moved, zone), formatOf('dateAdd', args), locale);
    },
  }),
  timestampFilter('timestamp', (time) => time.epochSecond),
  timestampFilter('timestampMilli', (time) => time.epochSecond * 1000 + Math.floor(time.nano / 1_000_000)),
  // Kestra returns micro and nano timestamps as strings; nanoseconds since 1970 are past 2^53 anyway.
  timestampFilter('timestampMicro', (time) => String(BigInt(time.epochSecond) * 1_000_000n + BigInt(Math.floor(time.nano / 1000)))),
  timestampFilter('timestampNano', (time) => String(BigInt(time.epochSecond) * 1_000_000_000n + BigInt(time.nano))),
];
