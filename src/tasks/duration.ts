import { Duration } from 'luxon';
import { taskFailed } from '../errors.js';

/**
 * Milliseconds of an ISO-8601 duration (PT5M, P1D, PT0.5S). The run-mode schema has already
 * checked the shape; this refuses what luxon cannot read and negative lengths, which no
 * timeout or TTL can mean. `what` names the property in the message.
 */
export function durationMs(iso: string, what: string): number {
  const parsed = Duration.fromISO(iso.replace(',', '.'));
  if (!parsed.isValid) throw taskFailed(`${what}: "${iso}" is not an ISO-8601 duration such as PT5M`, { retryable: false });
  const ms = parsed.toMillis();
  if (ms < 0) throw taskFailed(`${what}: "${iso}" is negative`, { retryable: false });
  return ms;
}
