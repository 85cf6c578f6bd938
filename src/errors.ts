/**
 * The one error vocabulary of Patchbay. Every thrown error carries a code; the edges
 * (CLI, worker, Slack) wrap anything else with `toPatchbayError` so callers can branch
 * on `code` and decide on retries through `retryable`, never by parsing messages.
 */
export const ErrorCode = {
  USAGE: 'USAGE',
  CONFIG_INVALID: 'CONFIG_INVALID',
  DATABASE_LOCKED: 'DATABASE_LOCKED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  FLOW_INVALID: 'FLOW_INVALID',
  FLOW_NOT_FOUND: 'FLOW_NOT_FOUND',
  INPUT_INVALID: 'INPUT_INVALID',
  EXPRESSION_SYNTAX: 'EXPRESSION_SYNTAX',
  EXPRESSION_EVAL: 'EXPRESSION_EVAL',
  EXPRESSION_FORBIDDEN: 'EXPRESSION_FORBIDDEN',
  SECRET_MISSING: 'SECRET_MISSING',
  KV_MISSING: 'KV_MISSING',
  TASK_FAILED: 'TASK_FAILED',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface PatchbayErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  /** Structured details for machine consumers (CLI --json, Slack blocks). */
  details?: Record<string, unknown>;
}

export class PatchbayError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: PatchbayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PatchbayError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

export function isPatchbayError(error: unknown): error is PatchbayError {
  return error instanceof PatchbayError;
}

/** Wraps anything thrown into a PatchbayError, keeping the original as `cause`. */
export function toPatchbayError(error: unknown, code: ErrorCode = ErrorCode.INTERNAL): PatchbayError {
  if (error instanceof PatchbayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PatchbayError(code, message, { cause: error });
}

/**
 * The error a runnable task throws to fail its attempt. Retryable by default (the task's
 * `retry` policy decides how often); pass `retryable: false` for failures a retry cannot fix
 * (a failed assertion, a 404 the flow did not allow, a rejected host key).
 */
export function taskFailed(message: string, options: PatchbayErrorOptions = {}): PatchbayError {
  return new PatchbayError(ErrorCode.TASK_FAILED, message, { retryable: true, ...options });
}

/** Exhaustiveness guard for switches over `as const` unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new PatchbayError(ErrorCode.INTERNAL, `unexpected ${what}: ${JSON.stringify(value)}`);
}
