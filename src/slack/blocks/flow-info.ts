/**
 * Read-only answers of `/flow list`, `/flow describe`, `/flow help` and `/flow logs`: short
 * messages a person scans, every flow-author or run-time text escaped.
 */
import { isTemplate } from '../../flow/input-schema.js';
import type { Flow } from '../../flow/model.js';
import { ScheduleTrigger, lookupTrigger } from '../../flow/triggers.js';
import { walkFlowTasks } from '../../flow/walk.js';
import type { LogLine } from '../../service/executions.js';
import { Approval } from '../../tasks/core/Approval.js';
import { HumanTask } from '../../tasks/core/HumanTask.js';
import { Pause } from '../../tasks/core/Pause.js';
import { lookupTask } from '../../tasks/registry.js';
import type { KnownBlock, Message } from './slack-types.js';
import { LIMITS, code, codeBlock, mrkdwn, plain, safeText, showValue, truncate } from './text.js';

export interface FlowListItem {
  namespace: string;
  id: string;
  description?: string;
  disabled?: boolean;
}

export interface CommandHelp {
  usage: string;
  description: string;
}

export interface ApprovalStep {
  taskId: string;
  kind: 'Pause' | 'HumanTask' | 'Approval';
  users: string[];
  groups: string[];
  minApprovals: number;
  asksForInputs: boolean;
}

const STEP_KINDS = new Map<string, ApprovalStep['kind']>([[Pause.types[0], 'Pause'], [HumanTask.types[0], 'HumanTask'], [Approval.types[0], 'Approval']]);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Every step of `flow` (nested ones too) where it waits for a person. */
export function approvalSteps(flow: Flow): ApprovalStep[] {
  const steps: ApprovalStep[] = [];
  for (const { task } of walkFlowTasks(flow as unknown as Record<string, unknown>)) {
    const kind = STEP_KINDS.get(lookupTask(task.type)?.types[0] ?? '');
    if (!kind) continue;
    const assignment = (task.assignment ?? {}) as { users?: unknown; groups?: unknown };
    const min = Number(task.minApprovals ?? 1);
    const asked = kind === 'Approval' ? task.inputs : task.onResume;
    steps.push({
      taskId: task.id,
      kind,
      users: strings(assignment.users),
      groups: strings(assignment.groups),
      minApprovals: Number.isFinite(min) ? min : 1, // a templated minApprovals is known only at run time
      asksForInputs: Array.isArray(asked) && asked.length > 0,
    });
  }
  return steps;
}

/** Lines packed into sections under the 3000-character limit, at most `maxBlocks` of them. */
function sections(lines: readonly string[], prefix: string, maxBlocks: number): KnownBlock[] {
  const texts: string[] = [];
  for (const line of lines) {
    const last = texts.length - 1;
    if (last >= 0 && texts[last]!.length + 1 + line.length <= LIMITS.sectionText) texts[last] += `\n${line}`;
    else texts.push(truncate(line, LIMITS.sectionText));
  }
  const shown = texts.slice(0, maxBlocks);
  if (texts.length > maxBlocks) shown[maxBlocks - 1] = truncate(`${shown[maxBlocks - 1]}\n…and more`, LIMITS.sectionText);
  return shown.map((text, i) => ({ type: 'section', block_id: `${prefix}-${i}`, text: mrkdwn(text) }));
}

const firstLine = (text: string | undefined): string => (text ?? '').trim().split('\n')[0] ?? '';

export function flowList(flows: readonly FlowListItem[]): Message {
  if (!flows.length) return { text: 'No flows yet.', blocks: [{ type: 'section', block_id: 'empty', text: mrkdwn('No flows yet. Add YAML files to the flows folder.') }] };
  const sorted = [...flows].sort((a, b) => `${a.namespace}.${a.id}`.localeCompare(`${b.namespace}.${b.id}`));
  const lines = sorted.map((f) => {
    const about = firstLine(f.description);
    return `${code(`${f.namespace}.${f.id}`, 200)}${f.disabled ? ' _(disabled)_' : ''}${about ? ` — ${safeText(about, 150)}` : ''}`;
  });
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: 'title', text: plain(`Flows (${flows.length})`, LIMITS.header) },
    ...sections(lines, 'flows', LIMITS.messageBlocks - 2),
    { type: 'context', block_id: 'hint', elements: [mrkdwn('`/flow describe <flow>` for details, `/flow run <flow>` to start one')] },
  ];
  return { text: `${flows.length} flows`, blocks };
}

function inputLine(input: Flow['inputs'][number]): string {
  const parts = [`${code(input.id, 100)} ${input.type}`];
  // A required input with a default need not be given, so "required" would mislead there.
  if (input.required === false) parts.push('optional');
  else if (input.defaults === undefined) parts.push('required');
  if (input.defaults !== undefined) {
    const shown = input.type === 'SECRET' ? '***' : isTemplate(input.defaults) ? 'computed' : showValue(input.defaults);
    parts.push(`default ${code(shown, 100)}`);
  }
  const about = input.description ?? input.displayName;
  return `• ${parts.join(' · ')}${about ? ` — ${safeText(firstLine(about), 200)}` : ''}`;
}

export function flowDescribe(flow: Flow): Message {
  const name = `${flow.namespace}.${flow.id}`;
  const blocks: KnownBlock[] = [{ type: 'header', block_id: 'title', text: plain(name, LIMITS.header) }];
  if (flow.description?.trim()) blocks.push({ type: 'section', block_id: 'description', text: mrkdwn(safeText(flow.description.trim(), 2900)) });
  const lines = [`*Inputs*`, ...(flow.inputs.length ? flow.inputs.map(inputLine) : ['_none_'])];
  const schedules = flow.triggers.filter((t) => lookupTrigger(t.type)?.types[0] === ScheduleTrigger.types[0]);
  if (schedules.length) {
    lines.push('*Schedules*', ...schedules.map((t) => {
      const zone = typeof t.timezone === 'string' ? ` (${safeText(t.timezone, 60)})` : '';
      return `• ${code(t.id, 100)} ${code(showValue(t.cron), 100)}${zone}${t.disabled === true ? ' _(disabled)_' : ''}`;
    }));
  }
  const steps = approvalSteps(flow);
  if (steps.length) {
    lines.push('*Waits for people at*', ...steps.map((s) => {
      const who = [...s.users, ...s.groups.map((g) => `@${g}`)];
      const rule = s.minApprovals > 1 ? `, ${s.minApprovals} approvals` : '';
      return `• ${code(s.taskId, 100)} ${s.kind}${who.length ? ` by ${safeText(who.join(', '), 300)}` : ''}${rule}${s.asksForInputs ? ', asks for values' : ''}`;
    }));
  }
  blocks.push(...sections(lines, 'details', LIMITS.messageBlocks - 4));
  const flags = [flow.disabled ? '*disabled*' : undefined, `${flow.tasks.length} top-level step${flow.tasks.length === 1 ? '' : 's'}`].filter(Boolean);
  blocks.push({ type: 'context', block_id: 'run', elements: [mrkdwn(`${flags.join(' · ')} · run with ${code(`/flow run ${name}`, 200)}`)] });
  return { text: `${safeText(name, 300)}: ${flow.inputs.length} inputs, ${steps.length} approval steps`, blocks };
}

export function flowHelp(commands: readonly CommandHelp[]): Message {
  const lines = commands.map((c) => `${code(c.usage, 200)} — ${safeText(c.description, 300)}`);
  return {
    text: 'Patchbay commands',
    blocks: [{ type: 'header', block_id: 'title', text: plain('Patchbay commands', LIMITS.header) }, ...sections(lines, 'commands', LIMITS.messageBlocks - 1)],
  };
}

const formatLogLine = (line: LogLine | string): string =>
  typeof line === 'string' ? line : `${line.at.slice(11, 19)} ${line.level.padEnd(5)} ${line.taskId ?? '-'} ${line.message}`;

/** The last `last` lines in one code block; when they do not fit, the oldest are cut, never the newest. */
export function logLines(lines: readonly (LogLine | string)[], opts: { last?: number; title?: string } = {}): Message {
  const last = opts.last ?? 50;
  const shown = lines.slice(-last);
  const title = opts.title ?? 'Logs';
  const blocks: KnownBlock[] = [{ type: 'section', block_id: 'title', text: mrkdwn(`*${safeText(title, 200)}*`) }];
  blocks.push(shown.length
    ? { type: 'section', block_id: 'lines', text: mrkdwn(codeBlock(shown.map(formatLogLine).join('\n'), LIMITS.sectionText - 6, true)) }
    : { type: 'context', block_id: 'lines', elements: [mrkdwn('_No log lines._')] });
  if (lines.length > shown.length) {
    blocks.push({ type: 'context', block_id: 'count', elements: [mrkdwn(`Last ${shown.length} of ${lines.length} lines`)] });
  }
  return { text: `${safeText(title, 200)}: ${shown.length} lines`, blocks };
}
