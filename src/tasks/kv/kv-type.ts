import { DateTime, Duration } from 'luxon';
import { assertNever, taskFailed } from '../../errors.js';

export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;
export type KvType = (typeof KV_TYPES)[number];

const invalid = (type: KvType, text: string, expected: string) =>
  taskFailed(`kvType ${type}: ${JSON.stringify(text)} is not ${expected}`, { retryable: false });

/**
 * Kestra's Set converts a value to `kvType` only when it rendered as a string; a typed value
 * (a number, a map from a `{{ }}` that kept its type) is stored as it is. Dates and durations
 * are stored as normalised ISO-8601 text, the form the database keeps as JSON.
 */
export function convertKvValue(type: KvType | undefined, value: unknown): unknown {
  if (type === undefined || typeof value !== 'string') return value;
  const text = value.trim();
  switch (type) {
    case 'STRING':
      return value;
    case 'NUMBER': {
      const number = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(number)) throw invalid(type, value, 'a number');
      return number;
    }
    case 'BOOLEAN':
      // Java's Boolean.parseBoolean: "true" in any case is true, anything else false.
      return text.toLowerCase() === 'true';
    case 'DATETIME': {
      const date = DateTime.fromISO(text, { setZone: true });
      if (!date.isValid) throw invalid(type, value, 'an ISO-8601 date-time such as 2024-05-01T10:00:00Z');
      return date.toUTC().toISO();
    }
    case 'DATE': {
      const date = DateTime.fromISO(text, { setZone: true });
      if (!date.isValid) throw invalid(type, value, 'an ISO-8601 date such as 2024-05-01');
      return date.toISODate();
    }
    case 'DURATION': {
      const duration = Duration.fromISO(text);
      if (!duration.isValid) throw invalid(type, value, 'an ISO-8601 duration such as PT5M');
      return duration.toISO();
    }
    case 'JSON':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw invalid(type, value, 'valid JSON');
      }
    default:
      return assertNever(type, 'kvType');
  }
}
