/**
 * Block Kit replies of /flow that src/slack/blocks does not already build: the flow picker,
 * "inputs needed", input errors and the approvals one may decide. Pure; every typed or
 * flow-author text is escaped through safeText/code.
 */
import { isTemplate, type InputDeclaration } from '../../flow/input-schema.js';
import type { InputError } from '../../flow/inputs.js';
import type { Flow } from '../../flow/model.js';
import type { PendingApproval } from '../../service/chat-queries.js';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, approvalProgress } from '../../slack/blocks/approval-message.js';
import { slackDate } from '../../slack/blocks/format.js';
import type { KnownBlock, Message } from '../../slack/blocks/slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText, showValue, truncate, userRef } from '../../slack/blocks/text.js';
import { quoteWord } from '../command-line.js';

/** The Run button of the flow picker; its value is `namespace.flowId`. */
export const FLOW_PICK_ACTION_ID = 'flow_pick';

export interface PickableFlow {
  namespace: string;
  id: string;
  description?: string;
}

const firstLine = (text: string | undefined): string => (text ?? '').trim().split('\n')[0] ?? '';

/** One section per flow with a Run button; the list stops short of Slack's 50 blocks. */
export function flowPicker(flows: readonly PickableFlow[]): Message {
  if (!flows.length) return { text: 'No flows you may run.', blocks: [{ type: 'section', block_id: 'empty', text: mrkdwn('There are no flows you may run.') }] };
  const sorted = [...flows].sort((a, b) => `${a.namespace}.${a.id}`.localeCompare(`${b.namespace}.${b.id}`));
  const room = LIMITS.messageBlocks - 2;
  const blocks: KnownBlock[] = [{ type: 'section', block_id: 'title', text: mrkdwn('*Which flow?*') }];
  for (const flow of sorted.slice(0, room)) {
    const name = `${flow.namespace}.${flow.id}`;
    const about = firstLine(flow.description);
    blocks.push({
      type: 'section',
      block_id: truncate(`pick:${name}`, LIMITS.blockId),
      text: mrkdwn(`${code(name)}${about ? ` — ${safeText(about, 200)}` : ''}`),
      accessory: { type: 'button', action_id: FLOW_PICK_ACTION_ID, value: truncate(name, LIMITS.buttonValue), text: plain('Run', LIMITS.buttonText) },
    });
  }
  const more = sorted.length > room ? `…and ${sorted.length - room} more. ` : '';
  blocks.push({ type: 'context', block_id: 'hint', elements: [mrkdwn(`${more}Or type ${code('/flow run <flow> key=value …')}`)] });
  return { text: `${sorted.length} flows to run`, blocks };
}

const typeOf = (decl: InputDeclaration): string =>
  decl.type === 'MULTISELECT' || decl.type === 'ARRAY' ? `${decl.type} of ${decl.itemType}` : decl.type;

/** `/flow run ns.id a=1 vm=…`: what was given (quoted as needed), then a placeholder per missing input. */
export function runLine(flow: Flow, given: Record<string, unknown>, missing: readonly InputDeclaration[]): string {
  const pairs = Object.entries(given).map(([key, value]) => `${key}=${quoteWord(typeof value === 'string' ? value : showValue(value))}`);
  const placeholders = missing.map((decl) => `${decl.id}=…`);
  return ['/flow run', `${flow.namespace}.${flow.id}`, ...pairs, ...placeholders].join(' ');
}

function inputLine(decl: InputDeclaration, options: readonly string[] | undefined): string {
  const parts = [`${code(decl.id, 100)} ${typeOf(decl)}`];
  const choices = options ?? ('values' in decl && decl.values ? decl.values.map((v) => v.value) : undefined);
  if (choices?.length) parts.push(`one of ${safeText(choices.slice(0, 20).join(', '), 400)}${choices.length > 20 ? '…' : ''}`);
  if ((decl.type === 'STRING' || decl.type === 'SECRET') && decl.validator) parts.push(`must match ${code(decl.validator, 200)}`);
  if (decl.defaults !== undefined) parts.push(decl.type === 'SECRET' ? 'has a default' : isTemplate(decl.defaults) ? 'default computed' : `default ${code(showValue(decl.defaults), 100)}`);
  else if (decl.required === false) parts.push('optional');
  const about = decl.description ?? decl.displayName;
  return `• ${parts.join(' · ')}${about ? ` — ${safeText(firstLine(about), 200)}` : ''}`;
}

/**
 * The text of an askInputs reply: which inputs are missing (or, with none missing, all of
 * them) and the `run` line to type. Slack opens the run modal instead; the shell prints this.
 */
export function askInputsMessage(flow: Flow, given: Record<string, unknown>, missing: readonly InputDeclaration[], options: Record<string, string[]>): Message {
  const name = `${flow.namespace}.${flow.id}`;
  const listed = missing.length ? missing : flow.inputs;
  const lead = missing.length ? `${code(name)} needs ${missing.length === 1 ? 'this input' : 'these inputs'}:` : `${code(name)} takes these inputs:`;
  const lines = [lead, ...listed.map((decl) => inputLine(decl, Object.hasOwn(options, decl.id) ? options[decl.id] : undefined))];
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: 'inputs', text: mrkdwn(truncate(lines.join('\n'), LIMITS.sectionText)) },
    { type: 'context', block_id: 'run', elements: [mrkdwn(`Run it with ${code(runLine(flow, given, missing), 2000)}`, LIMITS.contextText)] },
  ];
  const ids = listed.map((decl) => decl.id).join(', ');
  return { text: truncate(`${name} ${missing.length ? 'needs' : 'takes'} inputs: ${ids}`, LIMITS.messageText), blocks };
}

/** The engine says "input 'vm': …"; after the input's name that prefix is noise. */
const localMessage = (e: InputError): string => e.message.replace(/^input '[^']*'( \(default\))?:? ?/, (_m, fromDefault?: string) => (fromDefault ? 'default: ' : ''));

/** Invalid values: one line per input naming the rule broken, and the line to type instead. */
export function inputErrorsMessage(flow: Flow, errors: readonly InputError[], given: Record<string, unknown>): Message {
  const name = `${flow.namespace}.${flow.id}`;
  const lines = errors.map((e) => `• ${code(e.inputId, 100)} — ${e.rule === 'required' ? 'required, not given' : `${e.rule}: ${safeText(localMessage(e), 400)}`}`);
  const bad = new Set(errors.map((e) => e.inputId));
  const kept = Object.fromEntries(Object.entries(given).filter(([key]) => !bad.has(key)));
  const retype = flow.inputs.filter((decl) => bad.has(decl.id));
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: 'errors', text: mrkdwn(truncate(`:warning: ${code(name)} was not started:\n${lines.join('\n')}`, LIMITS.sectionText)) },
    { type: 'context', block_id: 'run', elements: [mrkdwn(`Fix and run again: ${code(runLine(flow, kept, retype), 2000)}`, LIMITS.contextText)] },
  ];
  return { text: truncate(`${name} was not started: ${errors.map((e) => e.message).join('; ')}`, LIMITS.messageText), blocks };
}

/** Pending approvals the reader may decide, with Approve / Reject buttons (value: approval id). */
export function approvalsMessage(list: readonly PendingApproval[], opts: { shellHints?: boolean } = {}): Message {
  if (!list.length) return { text: 'Nothing is waiting for your approval.', blocks: [{ type: 'section', block_id: 'empty', text: mrkdwn('Nothing is waiting for your approval.') }] };
  const blocks: KnownBlock[] = [{ type: 'header', block_id: 'title', text: plain(`Waiting for your approval (${list.length})`, LIMITS.header) }];
  const room = Math.floor((LIMITS.messageBlocks - 2) / 2); // two blocks per approval
  for (const a of list.slice(0, room)) {
    let text = `:raised_hand: ${code(`${a.namespace}.${a.flowId}`)} step ${code(a.taskId)}, requested by ${userRef(a.requestedBy)}`;
    const progress = approvalProgress(a.approvals, a.needed);
    if (progress) text += ` · ${progress}`;
    const expires = slackDate(a.expiresAt);
    if (expires) text += ` · expires ${expires}`;
    if (a.description?.trim()) text += `\n${safeText(a.description.trim(), 1000)}`;
    text += `\nexecution ${code(a.executionId, 100)}`;
    blocks.push({ type: 'section', block_id: `approval:${a.approvalId}`, text: mrkdwn(text) });
    blocks.push(opts.shellHints
      ? { type: 'context', block_id: `approval:${a.approvalId}:how`, elements: [mrkdwn(`${code(`approve ${a.executionId}`)} or ${code(`reject ${a.executionId} <reason>`)}`)] }
      : {
          type: 'actions',
          block_id: `approval:${a.approvalId}:actions`,
          elements: [
            { type: 'button', action_id: APPROVE_ACTION_ID, value: a.approvalId, style: 'primary', text: plain('Approve', LIMITS.buttonText) },
            { type: 'button', action_id: REJECT_ACTION_ID, value: a.approvalId, style: 'danger', text: plain('Reject', LIMITS.buttonText) },
          ],
        });
  }
  if (list.length > room) blocks.push({ type: 'context', block_id: 'more', elements: [mrkdwn(`…and ${list.length - room} more`)] });
  return { text: `${list.length} approvals wait for you`, blocks };
}
