import { type PatchbayError, taskFailed } from '../errors.js';

/** Why the engine aborted a task run (kill, timeout, shutdown), as text for the error message. */
function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'aborted' : String(reason);
}

/**
 * The error a task throws once its signal fired. It stays retryable: only the engine knows
 * whether the abort was a kill (no retry), a timeout (the retry policy decides) or a shutdown.
 * The signal's reason is kept as `cause` (a TimeoutError for the task's `timeout`).
 */
export function abortedError(what: string, signal: AbortSignal): PatchbayError {
  return taskFailed(`${what} was stopped: ${abortReason(signal)}`, { cause: signal.reason });
}
