import { exprError } from '../define.js';
import { show } from './values.js';

/**
 * The subset of Java's `DecimalFormat` that `numberformat` patterns use: literal prefix and
 * suffix (with `'quoted'` text), `#`/`0` digits, `,` grouping, `.` fraction, `%` and `‰`
 * multipliers and an optional `;negative` pattern. Rounding is Java's default HALF_EVEN on the
 * exact binary value of the number, so `0.125` with `#.##` gives `0.12`. Scientific (`E`) and
 * currency (`¤`) patterns are refused. Symbols are those of the en-US locale.
 */
interface DecimalPattern {
  prefix: string;
  suffix: string;
  negativePrefix: string;
  negativeSuffix: string;
  minInt: number;
  minFrac: number;
  maxFrac: number;
  grouping: number;
  alwaysShowPoint: boolean;
  multiplier: number;
}

/** NumberFormat.getInstance(Locale.US), used when no pattern is given. */
const DEFAULT_PATTERN = '#,##0.###';

function splitAffixes(pattern: string, source: string): { prefix: string; body: string; suffix: string; multiplier: number } {
  let prefix = '';
  let body = '';
  let suffix = '';
  let multiplier = 1;
  let inQuote = false;
  const literal = (char: string): void => {
    if (body === '') prefix += char;
    else suffix += char;
  };
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "'") {
      if (pattern[i + 1] === "'") literal(pattern[++i] as string);
      else inQuote = !inQuote;
    } else if (inQuote) {
      literal(char);
    } else if ('#0,.'.includes(char)) {
      if (suffix !== '') throw exprError(`\`numberformat\`: malformed pattern ${show(source)}`);
      body += char;
    } else if (char === 'E' || char === '\u00A4') {
      throw exprError(`\`numberformat\`: pattern ${show(source)} uses the unsupported symbol ${char}`);
    } else {
      if (char === '%') multiplier = 100;
      if (char === '\u2030') multiplier = 1000;
      literal(char);
    }
  }
  if (inQuote) throw exprError(`\`numberformat\`: unterminated quote in pattern ${show(source)}`);
  return { prefix, body, suffix, multiplier };
}

function parsePattern(source: string): DecimalPattern {
  const [positive = '', negative] = source.split(';');
  const pos = splitAffixes(positive, source);
  const neg = negative === undefined ? undefined : splitAffixes(negative, source);
  const [integer = '', fraction] = pos.body.split('.');
  if (!/[#0]/.test(pos.body) || pos.body.split('.').length > 2 || /0#/.test(integer.replace(/,/g, '')) || /#0/.test(fraction ?? '')) {
    throw exprError(`\`numberformat\`: malformed pattern ${show(source)}`);
  }
  const lastComma = integer.lastIndexOf(',');
  return {
    prefix: pos.prefix,
    suffix: pos.suffix,
    negativePrefix: neg ? neg.prefix : `-${pos.prefix}`,
    negativeSuffix: neg ? neg.suffix : pos.suffix,
    // Java's applyPattern reads a pattern without any 0, such as "#.##", as "0.##".
    minInt: !pos.body.includes('0') && fraction !== undefined && integer !== '' ? 1 : (integer.match(/0/g) ?? []).length,
    minFrac: (fraction?.match(/0/g) ?? []).length,
    maxFrac: fraction?.length ?? 0,
    grouping: lastComma === -1 ? 0 : integer.length - lastComma - 1,
    alwaysShowPoint: fraction === '',
    multiplier: pos.multiplier,
  };
}

/** The exact decimal digits of a non-negative double, split at the decimal point. */
function exactDigits(abs: number): { int: string; frac: string } {
  if (abs >= 1e21) return { int: BigInt(abs).toString(), frac: '' };
  const [int = '0', frac = ''] = abs.toFixed(100).split('.');
  return { int, frac: frac.replace(/0+$/, '') };
}

/** Rounds to `maxFrac` fraction digits, half to even. */
function roundHalfEven(abs: number, maxFrac: number): { int: string; frac: string } {
  const { int, frac } = exactDigits(abs);
  if (frac.length <= maxFrac) return { int, frac };
  const kept = int + frac.slice(0, maxFrac);
  const next = Number(frac[maxFrac]);
  const rest = frac.slice(maxFrac + 1);
  const lastKept = Number(kept[kept.length - 1]);
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || lastKept % 2 === 1));
  const digits = (BigInt(kept) + (up ? 1n : 0n)).toString().padStart(kept.length, '0');
  const intLength = digits.length - maxFrac;
  return { int: digits.slice(0, intLength), frac: digits.slice(intLength) };
}

function group(int: string, size: number): string {
  if (size <= 0) return int;
  const groups: string[] = [];
  for (let end = int.length; end > 0; end -= size) groups.unshift(int.slice(Math.max(0, end - size), end));
  return groups.join(',');
}

export function formatDecimal(value: number, source: string | undefined): string {
  const pattern = parsePattern(source ?? DEFAULT_PATTERN);
  if (Number.isNaN(value)) return 'NaN';
  // Java keeps the sign of a negative number that rounds to zero ("-0").
  const negative = value < 0 || Object.is(value, -0);
  const prefix = negative ? pattern.negativePrefix : pattern.prefix;
  const suffix = negative ? pattern.negativeSuffix : pattern.suffix;
  const abs = Math.abs(value) * pattern.multiplier;
  if (!Number.isFinite(abs)) return `${prefix}\u221E${suffix}`;
  const rounded = roundHalfEven(abs, pattern.maxFrac);
  let int = rounded.int.replace(/^0+/, '').padStart(pattern.minInt, '0');
  let frac = rounded.frac.replace(/0+$/, '');
  frac = frac.padEnd(pattern.minFrac, '0');
  if (int === '' && frac === '') int = '0';
  const point = frac !== '' || pattern.alwaysShowPoint ? '.' : '';
  return `${prefix}${group(int, pattern.grouping)}${point}${frac}${suffix}`;
}
