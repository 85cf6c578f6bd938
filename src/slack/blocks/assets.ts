/**
 * Block Kit for `/assets show <id>`: the asset with its metadata as fields, what it depends
 * on and what depends on it (grouped by type), its latest history, and buttons to the recent
 * runs that touched it. Pure: the same AssetView always gives the same message, and the
 * budget below keeps even a huge neighbourhood within one message's 50 blocks.
 */
import { shortType } from '../../assets/graph.js';
import { DEPTH_LIMITS, type AssetView } from '../../assets/service.js';
import type { AssetDetail, AssetEvent, AssetOrigin, RelatedAsset } from '../../assets/types.js';
import { capBlocks, eventLine, groupByType, note, originText, packGroups, relatedLine, typeHeading } from './assets-parts.js';
import { slackDate } from './format.js';
import { STATUS_ACTION_ID } from './home.js';
import type { KnownBlock, Message } from './slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText, showValue, userRef } from './text.js';

export { assetListMessage, ASSETS_PAGE_ACTION_ID, type AssetListOptions } from './assets-list.js';
export { assetGraphCaption, assetImpactMessage } from './assets-impact.js';

/** Blocks per part; with the fixed blocks the total stays near 40 of Slack's 50. */
const BUDGET = { related: 8, history: 4, runs: 3 } as const;

/** Metadata as section fields ("*key*\nvalue"): at most 10 per section, so two sections at most. */
function metadataBlocks(metadata: Record<string, unknown>): KnownBlock[] {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return [];
  const max = LIMITS.fields * 2;
  const shown = entries.length > max ? entries.slice(0, max - 1) : entries;
  const fields = shown.map(([key, value]) => mrkdwn(`*${safeText(key, 100)}*\n${safeText(showValue(value), 1500)}`, LIMITS.fieldText));
  if (entries.length > max) {
    const rest = entries.slice(max - 1).map(([key]) => key);
    fields.push(mrkdwn(`*…and ${rest.length} more*\n${safeText(rest.join(', '), 1500)}`, LIMITS.fieldText));
  }
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    blocks.push({ type: 'section', block_id: `metadata-${i / LIMITS.fields}`, fields: fields.slice(i, i + LIMITS.fields) });
  }
  return blocks;
}

function provenance(what: string, at: string, origin: AssetOrigin | null): string {
  const parts = [`${what} ${slackDate(at) ?? safeText(at, 40)}`];
  if (origin) {
    parts.push(`by ${userRef(origin.actor)}`);
    const from = originText(origin);
    if (from) parts.push(from);
  }
  return parts.join(' · ');
}

function summaryBlocks(asset: AssetDetail): KnownBlock[] {
  const facts = [code(asset.id, 200), `*${safeText(shortType(asset.type), 120)}*`];
  if (shortType(asset.type) !== asset.type) facts.push(code(asset.type, 200));
  if (asset.namespace) facts.push(`namespace ${code(asset.namespace, 200)}`);
  if (asset.deleted) facts.push(`:wastebasket: *deleted* ${slackDate(asset.deleted) ?? safeText(asset.deleted, 40)}`);
  const description = asset.description ? `\n${safeText(asset.description, 1500)}` : '';
  const created = provenance('Created', asset.created, asset.createdBy);
  const touchedLater = asset.updated !== asset.created || asset.updatedBy?.executionId !== asset.createdBy?.executionId;
  const context = [mrkdwn(created, LIMITS.contextText)];
  if (touchedLater) context.push(mrkdwn(provenance('Updated', asset.updated, asset.updatedBy), LIMITS.contextText));
  return [
    { type: 'header', block_id: 'title', text: plain(asset.displayName || asset.id, LIMITS.header) },
    { type: 'section', block_id: 'summary', text: mrkdwn(`${facts.join(' · ')}${description}`) },
    ...metadataBlocks(asset.metadata),
    { type: 'context', block_id: 'provenance', elements: context },
  ];
}

function relatedBlocks(view: AssetView, direction: 'upstream' | 'downstream'): KnownBlock[] {
  const entries: RelatedAsset[] = view[direction];
  const title = direction === 'upstream' ? '*Upstream* — what it depends on' : '*Downstream* — what depends on it';
  const hops = `within ${view.depth} hop${view.depth === 1 ? '' : 's'}`;
  const blocks: KnownBlock[] = [{ type: 'divider', block_id: `${direction}-divider` }];
  if (entries.length === 0) {
    blocks.push({ type: 'section', block_id: direction, text: mrkdwn(`${title}: _none ${hops}_`) });
    return blocks;
  }
  blocks.push({ type: 'section', block_id: direction, text: mrkdwn(`${title}: ${entries.length} ${hops}`) });
  const groups = groupByType(entries).map(([type, group]) => ({ heading: typeHeading(type, group.length), lines: group.map((entry) => relatedLine(entry)) }));
  blocks.push(...packGroups(groups, `${direction}-list`, BUDGET.related, 'assets'));
  if (view.truncated[direction]) {
    const deeper = view.depth < DEPTH_LIMITS.show.max ? ` ${code(`/assets show ${view.asset.id} depth=${view.depth + 1}`, 300)} looks further.` : '';
    blocks.push(note(`${direction}-more`, `:warning: There is more lineage beyond what is shown.${deeper}`));
  }
  return blocks;
}

/** The newest events first, so a cut drops the oldest. */
function historyBlocks(events: readonly AssetEvent[]): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider', block_id: 'history-divider' }];
  if (events.length === 0) {
    blocks.push({ type: 'section', block_id: 'history', text: mrkdwn('*History*: _no events recorded_') });
    return blocks;
  }
  blocks.push({ type: 'section', block_id: 'history', text: mrkdwn(`*History* — latest ${events.length} event${events.length === 1 ? '' : 's'}, newest first`) });
  const lines = [...events].reverse().map(eventLine);
  blocks.push(...packGroups([{ heading: '', lines }], 'history-list', BUDGET.history, 'older events'));
  return blocks;
}

/**
 * One section per recent run with a Status button (`execution_status`, value = execution
 * id, answered by the Slack listeners): separate sections, because an action_id must be
 * unique within its block.
 */
export function recentRuns(events: readonly AssetEvent[], max: number = BUDGET.runs): KnownBlock[] {
  const runs = new Map<string, { event: AssetEvent; kinds: Set<string> }>();
  for (const event of [...events].reverse()) {
    if (!event.executionId) continue;
    const run = runs.get(event.executionId);
    if (run) run.kinds.add(event.kind);
    else if (runs.size < max) runs.set(event.executionId, { event, kinds: new Set([event.kind]) });
  }
  return [...runs.values()].map(({ event, kinds }, index) => ({
    type: 'section',
    block_id: `run-${index}`,
    text: mrkdwn(`${originText({ ...event, taskId: null })} · ${[...kinds].map((kind) => safeText(kind.toLowerCase(), 20)).join(', ')} · ${slackDate(event.at) ?? safeText(event.at, 40)}`),
    accessory: { type: 'button', action_id: STATUS_ACTION_ID, value: event.executionId!, text: plain('Status', LIMITS.buttonText) },
  }));
}

export function assetViewMessage(view: AssetView): Message {
  const { asset } = view;
  const runs = recentRuns(view.events);
  const blocks: KnownBlock[] = [
    ...summaryBlocks(asset),
    ...relatedBlocks(view, 'upstream'),
    ...relatedBlocks(view, 'downstream'),
    ...historyBlocks(view.events),
  ];
  if (runs.length > 0) blocks.push({ type: 'section', block_id: 'runs', text: mrkdwn('*Recent runs*') }, ...runs);
  const text = `Asset ${asset.id} (${shortType(asset.type)}): ${view.upstream.length} upstream, ${view.downstream.length} downstream`;
  return { text: safeText(text, 500), blocks: capBlocks(blocks) };
}
