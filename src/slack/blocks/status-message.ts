import type { ExecutionAssets } from '../../assets/service.js';
/**
 * The one live status message of an execution (posted once, then `chat.update`d): what runs,
 * who asked, with which inputs, how each top-level step went, and how it ended. Nested runs
 * (inside Sequential, ForEach, If…) are summarised by their top-level parent, so a ForEach over
 * 500 VMs stays one line. Values arrive masked (secrets) from the execution view.
 */
import type { Flow } from '../../flow/model.js';
import type { ExecutionView, TaskRunView } from '../../service/executions.js';
import { elapsed, isEnded, slackDate, stateEmoji } from './format.js';
import type { KnownBlock, Message, MrkdwnElement } from './slack-types.js';
import { LIMITS, code, codeBlock, mrkdwn, plain, safeText, showValue, truncate, userRef } from './text.js';

export interface StatusOptions {
  now?: Date;
  /** Most inputs shown as fields; the rest are counted. */
  maxInputs?: number;
  /** Most task lines shown; the rest are counted. */
  maxTaskLines?: number;
  /** The assets the run touched (shown once it has ended). */
  assets?: ExecutionAssets | undefined;
}

/** "Created: `vm-01` (VM), …" lines, one per kind of change, each list cut to what fits. */
function assetLines(assets: ExecutionAssets): string[] {
  const short = (type: string) => type.split('.').pop() ?? type;
  const kinds = [['Created', assets.created], ['Updated', assets.updated], ['Used', assets.used], ['Deleted', assets.deleted]] as const;
  return kinds
    .filter(([, list]) => list.length > 0)
    .map(([label, list]) => {
      const shown = list.slice(0, 10).map((asset) => `${code(asset.id, 80)} (${safeText(short(asset.type), 40)})`);
      return `*${label}:* ${shown.join(', ')}${list.length > 10 ? ` and ${list.length - 10} more` : ''}`;
    });
}

const VALUE_MAX = 300;

function inputFields(view: ExecutionView, flow: Flow | undefined, max: number): { blocks: KnownBlock[]; hidden: number } {
  const entries = Object.entries(view.inputs ?? {});
  const label = (id: string): string => flow?.inputs.find((input) => input.id === id)?.displayName ?? id;
  const fields: MrkdwnElement[] = entries
    .slice(0, max)
    .map(([id, value]) => mrkdwn(`*${safeText(label(id), 200)}*\n${safeText(showValue(value), VALUE_MAX)}`, LIMITS.fieldText));
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    blocks.push({ type: 'section', block_id: `inputs-${i / LIMITS.fields}`, fields: fields.slice(i, i + LIMITS.fields) });
  }
  return { blocks, hidden: Math.max(0, entries.length - max) };
}

function taskLine(run: TaskRunView, now: Date): string {
  const took = elapsed(run.startedAt, run.endedAt, now);
  const parts = [`${stateEmoji(run.state)} ${code(run.taskId, 120)} ${run.state.toLowerCase()}`];
  if (run.value !== null) parts[0] += ` (${safeText(run.value, 60)})`;
  if (run.branch !== 'tasks') parts[0] += ` _${safeText(run.branch, 40)}_`;
  if (took) parts.push(took);
  if (run.attempts > 1) parts.push(`${run.attempts} attempts`);
  const line = parts.join(' · ');
  return run.error && (run.state === 'FAILED' || run.state === 'WARNING') ? `${line} — ${safeText(run.error.split('\n')[0]!, 200)}` : line;
}

/** Lines packed into as few sections as the 3000-character limit allows. */
function packLines(lines: string[], prefix: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  const flush = (): void => {
    if (current) blocks.push({ type: 'section', block_id: `${prefix}-${blocks.length}`, text: mrkdwn(current) });
    current = '';
  };
  for (const line of lines) {
    if (current && current.length + 1 + line.length > LIMITS.sectionText) flush();
    current = current ? `${current}\n${line}` : truncate(line, LIMITS.sectionText);
  }
  flush();
  return blocks;
}

export function statusMessage(view: ExecutionView, flow?: Flow, opts: StatusOptions = {}): Message {
  const now = opts.now ?? new Date();
  const name = `${view.namespace}.${view.flowId}`;
  const ended = isEnded(view.state) || view.endedAt !== null;
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: 'title', text: plain(`${stateEmoji(view.state)} ${name}`, LIMITS.header) },
  ];
  const started = slackDate(view.createdAt);
  const took = elapsed(view.createdAt, view.endedAt, now);
  const summary = [`*${safeText(view.state, 40)}*`, `started by ${userRef(view.createdBy)}`];
  if (started) summary.push(started);
  if (took) summary.push(ended ? `took ${took}` : `running for ${took}`);
  blocks.push({ type: 'section', block_id: 'summary', text: mrkdwn(summary.join(' · ')) });

  const inputs = inputFields(view, flow, opts.maxInputs ?? 20);
  blocks.push(...inputs.blocks);
  if (inputs.hidden) blocks.push({ type: 'context', block_id: 'inputs-more', elements: [mrkdwn(`…and ${inputs.hidden} more inputs`)] });

  const top = view.taskRuns.filter((run) => run.parentTaskRunId === null);
  const maxLines = opts.maxTaskLines ?? 40;
  const lines = top.slice(0, maxLines).map((run) => taskLine(run, now));
  if (top.length > maxLines) lines.push(`…and ${top.length - maxLines} more steps`);
  blocks.push(...packLines(lines.length ? lines : ['_No step has started yet._'], 'tasks'));

  if (ended) {
    blocks.push({ type: 'section', block_id: 'outcome', text: mrkdwn(`${stateEmoji(view.state)} *Finished: ${safeText(view.state, 40)}*${took ? ` in ${took}` : ''}`) });
    if (view.error) blocks.push({ type: 'section', block_id: 'error', text: mrkdwn(codeBlock(view.error, 2900)) });
    const touched = opts.assets ? assetLines(opts.assets) : [];
    if (touched.length > 0) blocks.push(...packLines([':package: *Assets*', ...touched], 'assets'));
  }
  const context = [`Execution ${code(view.id, 100)}`, `revision ${view.revision}`];
  if (view.parentExecutionId) context.push(`subflow of ${code(view.parentExecutionId, 100)}`);
  blocks.push({ type: 'context', block_id: 'execution', elements: [mrkdwn(context.join(' · '), LIMITS.contextText)] });

  const error = ended && view.error ? ` — ${safeText(view.error.split('\n')[0]!, 300)}` : '';
  const text = truncate(`${stateEmoji(view.state)} ${safeText(name, 300)} ${view.state.toLowerCase()}${error} (execution ${safeText(view.id, 100)})`, LIMITS.messageText);
  return { text, blocks };
}
