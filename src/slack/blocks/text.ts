/**
 * Text helpers every builder goes through. Invariant: any text that did not come from this
 * code (flow ids, descriptions, input values, errors, reasons) reaches mrkdwn only through
 * `escapeMrkdwn`, so a value such as `<!channel>` or `<https://evil|click>` stays literal text,
 * and reaches Slack only after `truncate` to the limit of the field it lands in.
 */
import type { MrkdwnElement, PlainTextElement } from './slack-types.js';

/** Slack's documented limits (characters); a longer value makes the whole API call fail. */
export const LIMITS = {
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  header: 150,
  contextText: 3000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  radioOptions: 10,
  label: 2000,
  hint: 2000,
  placeholder: 150,
  initialValue: 3000,
  modalTitle: 24,
  modalButton: 24,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  blockId: 255,
  privateMetadata: 3000,
  messageBlocks: 50,
  viewBlocks: 100,
  /** Top-level `text` may be 40k, but notifications show a line: keep it short. */
  messageText: 3000,
} as const;

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` UTF-16 units (never more characters than Slack counts), ending in "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Never leave half of a surrogate pair (an emoji cut in two renders as garbage).
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${ELLIPSIS}`;
}

/** Slack's three control characters; everything else in mrkdwn is only formatting. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts already-escaped text to `max`, never splitting an entity (`&am…` would show as broken text). */
function cutEscaped(escaped: string, max: number, keepTail = false): string {
  if (escaped.length <= max) return escaped;
  if (!keepTail) return `${truncate(escaped, max).slice(0, -1).replace(/&[a-z]*$/, '')}${ELLIPSIS}`;
  let tail = escaped.slice(escaped.length - (max - 1));
  // Start at a line boundary when there is one (entities never span lines), else drop a cut entity's rest.
  const newline = tail.indexOf('\n');
  tail = newline !== -1 && newline < tail.length - 1 ? tail.slice(newline + 1) : tail.replace(/^[a-z]{0,3};/, '');
  return `${ELLIPSIS}${tail}`;
}

/** Escapes then truncates to `max`. */
export function safeText(text: string, max: number = LIMITS.sectionText): string {
  return cutEscaped(escapeMrkdwn(text), max);
}

/** Inline code of untrusted text: a backtick inside would end the span early, so it is swapped for a look-alike. */
export function code(text: string, max = 200): string {
  return `\`${safeText(text.replace(/`/g, 'ˋ'), max)}\``;
}

/** A code block of untrusted text; `keepTail` cuts from the START, so the newest log lines survive. */
export function codeBlock(text: string, max: number = LIMITS.sectionText - 6, keepTail = false): string {
  const body = cutEscaped(escapeMrkdwn(text.replace(/```/g, 'ˋˋˋ')), max, keepTail);
  return `\`\`\`${body}\`\`\``;
}

/** Slack ids of people start with U or W; anything else (an e-mail, a CLI `--as` name) is shown as text. */
export function isSlackUserId(id: string): boolean {
  return /^[UW][A-Z0-9]{2,}$/.test(id);
}

/** A mention for Slack user ids, escaped text otherwise. */
export function userRef(id: string): string {
  return isSlackUserId(id) ? `<@${id}>` : safeText(id, 200);
}

/** A user group: `<!subteam^S…>` mentions by id; a handle is shown as text (it would not notify anyway). */
export function groupRef(group: string): string {
  return /^S[A-Z0-9]{2,}$/.test(group) ? `<!subteam^${group}>` : `@${safeText(group.replace(/^@/, ''), 200)}`;
}

/** A value as a person reads it: strings bare, null as a dash, everything else as compact JSON. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** `text` must already be safe mrkdwn (built from `safeText`, `code`, `userRef`…). */
export function mrkdwn(text: string, max: number = LIMITS.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, max) };
}
