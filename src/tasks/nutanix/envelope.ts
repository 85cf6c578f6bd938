import { type PatchbayError, taskFailed } from '../../errors.js';

/**
 * Pure reading of Prism Central v4 answers (reference/apis.md A.0, A.2): the `{data, metadata}`
 * envelope, error bodies (a list of AppMessage, or a SchemaValidationError), and finished
 * tasks. Kept free of I/O so every shape is unit-tested.
 */

/** One Prism error or warning: `VMM-20005` plus its text. */
export interface PrismMessage {
  code?: string;
  message: string;
}

export interface Envelope {
  data: unknown;
  metadata: Record<string, unknown>;
}

export type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The envelope of a JSON body; undefined when the body is empty or not JSON (a proxy's HTML page). */
export function parseEnvelope(body: string | undefined): Envelope | undefined {
  if (body === undefined || body.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  return { data: parsed.data, metadata: isObject(parsed.metadata) ? parsed.metadata : {} };
}

/** Every error message a failed response carries, whichever of the documented shapes it uses. */
export function prismErrors(envelope: Envelope | undefined): PrismMessage[] {
  if (!envelope) return [];
  const data = envelope.data;
  const found: PrismMessage[] = [];
  const add = (item: unknown): void => {
    if (!isObject(item)) return;
    const message = text(item.message) ?? text(item.error);
    if (message) found.push({ ...(text(item.code) ? { code: text(item.code)! } : {}), message });
    // SchemaValidationError: one line per invalid attribute.
    if (Array.isArray(item.validationErrorMessages)) {
      for (const entry of item.validationErrorMessages) {
        if (isObject(entry) && text(entry.message)) {
          const where = text(entry.attributePath);
          found.push({ message: where ? `${where}: ${String(entry.message)}` : String(entry.message) });
        }
      }
    }
  };
  if (isObject(data)) {
    if (Array.isArray(data.error)) data.error.forEach(add);
    else add(data.error);
  }
  if (found.length === 0 && Array.isArray(envelope.metadata.messages)) envelope.metadata.messages.forEach(add);
  return found;
}

export const describeMessages = (messages: PrismMessage[]): string =>
  messages.map((entry) => (entry.code ? `${entry.code} ${entry.message}` : entry.message)).join('; ');

/** How much of a non-JSON error body the message quotes. */
const EXCERPT = 300;

/**
 * The error of a refused call. 5xx, 429 and 408 are worth a retry (Prism is busy or restarting);
 * any other 4xx is not: the request itself is wrong, and sending it again changes nothing.
 */
export function refusal(operation: string, status: number, body: string | undefined): PatchbayError {
  const envelope = parseEnvelope(body);
  const messages = prismErrors(envelope);
  let detail = messages.length > 0 ? describeMessages(messages) : '';
  if (!envelope && body && body.trim() !== '') detail = body.length > EXCERPT ? `${body.slice(0, EXCERPT)}…` : body.trim();
  const hint = statusHint(status);
  const parts = [detail, hint].filter((part) => part !== '');
  const message = `Prism Central refused ${operation} (HTTP ${status})${parts.length > 0 ? `: ${parts.join(' — ')}` : ''}`;
  const retryable = status >= 500 || status === 429 || status === 408;
  return taskFailed(message, { retryable, details: { status, ...(messages[0]?.code ? { prismCode: messages[0].code } : {}) } });
}

function statusHint(status: number): string {
  if (status === 401) return 'authentication failed: check `token` (sent as X-ntnx-api-key) or `username`/`password`';
  if (status === 403) return 'the account lacks the permission for this operation';
  if (status === 412) return 'the entity changed since it was read (stale ETag in If-Match)';
  if (status === 428) return 'Prism Central wants an If-Match header for this operation';
  return '';
}

export const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const isTerminal = (status: unknown): status is TerminalStatus => TERMINAL_STATUSES.includes(status as TerminalStatus);

/** Why a finished Prism task did not succeed, with its error codes (e.g. "VMM-30100 Not enough memory"). */
export function taskFailure(operation: string, task: Json): PatchbayError {
  const extId = String(task.extId ?? '?');
  const messages: PrismMessage[] = [];
  if (Array.isArray(task.errorMessages)) for (const item of task.errorMessages) if (isObject(item) && text(item.message)) messages.push({ ...(text(item.code) ? { code: text(item.code)! } : {}), message: String(item.message) });
  const legacy = text(task.legacyErrorMessage);
  if (legacy && !messages.some((entry) => entry.message === legacy)) messages.push({ message: legacy });
  const status = String(task.status);
  const detail = messages.length > 0 ? describeMessages(messages) : 'no error message given';
  // A task Prism ran and refused (no capacity, bad spec) fails the same way when sent again.
  return taskFailed(`Prism Central task ${extId} for ${operation} ended ${status}: ${detail}`, {
    retryable: false,
    details: { taskExtId: extId, status, ...(messages[0]?.code ? { prismCode: messages[0].code } : {}) },
  });
}

/** The extId of the first entity of kind `rel` (e.g. `vmm:ahv:config:vm`) a finished task touched. */
export function affectedEntity(task: Json, rel: string): string | undefined {
  if (!Array.isArray(task.entitiesAffected)) return undefined;
  const entity = task.entitiesAffected.find((item) => isObject(item) && item.rel === rel);
  return isObject(entity) ? text(entity.extId) : undefined;
}

/** A `completionDetails` value by name (e.g. `recoveryPointExtId`). */
export function completionDetail(task: Json, name: string): string | undefined {
  if (!Array.isArray(task.completionDetails)) return undefined;
  const entry = task.completionDetails.find((item) => isObject(item) && item.name === name);
  if (!isObject(entry)) return undefined;
  return typeof entry.value === 'string' || typeof entry.value === 'number' ? String(entry.value) : undefined;
}
