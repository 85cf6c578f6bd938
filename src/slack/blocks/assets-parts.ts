/**
 * Pieces the asset messages share (`/assets show|list|impact`): one line per asset, lines
 * grouped under their type, and the packing of those lines into as few sections as Slack's
 * limits allow. Everything that came from a flow (ids, types, metadata, names) goes through
 * safeText/code here, so the builders only join safe mrkdwn.
 */
import { describeChanges } from '../../assets/changes.js';
import { shortType } from '../../assets/graph.js';
import type { AssetEvent, RelatedAsset } from '../../assets/types.js';
import { slackDate } from './format.js';
import type { KnownBlock, SectionBlock } from './slack-types.js';
import { LIMITS, code, mrkdwn, safeText, showValue, truncate, userRef } from './text.js';

/**
 * Bound of one line. The parts are capped so a line stays under it (a cut could split a
 * `<@U…>` token or leave a code span open); truncating here is only a safety net.
 */
const LINE_MAX = 1000;
/** Room kept in the last section of a packed list for the "…and N more" note. */
const NOTE_ROOM = 80;

/** `key=value, key=value` of untrusted metadata, escaped and cut as a whole (no entity split). */
export function metadataText(metadata: Record<string, unknown>, max = 240): string {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return '';
  return safeText(entries.map(([key, value]) => `${key}=${showValue(value)}`).join(', '), max);
}

/**
 * `*VM.Certificate* (2)`: Kestra's long type names read better without their package. With
 * `full`, the whole type follows, since `type=` filters match it exactly and people copy it.
 */
export function typeHeading(type: string, count: number, full = false): string {
  const short = shortType(type);
  return `*${safeText(short, 120)}* (${count})${full && short !== type ? ` ${code(type, 200)}` : ''}`;
}

/** Entries by type, types in alphabetical order, entries in the order given (nearest first). */
export function groupByType<T extends { type: string }>(entries: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    const group = groups.get(entry.type);
    if (group) group.push(entry);
    else groups.set(entry.type, [entry]);
  }
  return [...groups.entries()].sort(([a], [b]) => shortType(a).localeCompare(shortType(b)) || a.localeCompare(b));
}

/** `• `cert-1` — Web cert · 2 hops · issuer=LetsEncrypt` (plus whatever `extra` the view adds). */
export function relatedLine(entry: RelatedAsset, extra = ''): string {
  const parts = [`• ${code(entry.id, 200)}${entry.displayName && entry.displayName !== entry.id ? ` — ${safeText(entry.displayName, 80)}` : ''}`];
  if (entry.deleted) parts.push('_deleted_');
  parts.push(entry.depth === 1 ? 'direct' : `${entry.depth} hops`);
  if (extra) parts.push(extra);
  const metadata = metadataText(entry.metadata);
  if (metadata) parts.push(metadata);
  return truncate(parts.join(' · '), LINE_MAX);
}

export interface LineGroup {
  /** Safe mrkdwn, e.g. from typeHeading; empty for a plain list. */
  heading: string;
  /** Safe mrkdwn, one per item. */
  lines: string[];
}

/**
 * Groups → sections of at most 3000 characters and `maxBlocks` blocks. A group cut by a
 * section boundary repeats its heading; items that do not fit are counted in a last
 * "…and N more" line, so a huge lineage shortens the message instead of breaking the call.
 */
export function packGroups(groups: readonly LineGroup[], prefix: string, maxBlocks: number, more = 'more'): SectionBlock[] {
  const max = LIMITS.sectionText - NOTE_ROOM;
  const texts: string[] = [];
  let current = '';
  let omitted = 0;
  for (const group of groups) {
    let headed = false;
    for (const raw of group.lines) {
      // Once something is left out, everything after it is too: a list never skips a line.
      if (omitted > 0) {
        omitted += 1;
        continue;
      }
      const line = truncate(raw, LINE_MAX);
      const heading = headed || !group.heading ? '' : `${group.heading}\n`;
      if (current && current.length + 1 + heading.length + line.length > max) {
        if (texts.length + 1 >= maxBlocks) {
          omitted += 1;
          continue;
        }
        texts.push(current);
        current = '';
      }
      if (current === '' && headed && group.heading) current = `${group.heading} _(continued)_\n${line}`;
      else current = `${current}${current ? '\n' : ''}${heading}${line}`;
      headed = true;
    }
  }
  if (current) texts.push(current);
  if (omitted > 0 && texts.length > 0) texts[texts.length - 1] += `\n_…and ${omitted} ${more} not shown_`;
  return texts.map((text, index) => ({ type: 'section', block_id: `${prefix}-${index}`, text: mrkdwn(text) }));
}

/** `company.infra.create-vm · execution `3xYz…` · task `create_vm`` of an event or an origin. */
export function originText(origin: { namespace: string | null; flowId: string | null; executionId: string | null; taskId: string | null }): string {
  const parts: string[] = [];
  if (origin.flowId) parts.push(code(origin.namespace ? `${origin.namespace}.${origin.flowId}` : origin.flowId, 160));
  if (origin.executionId) parts.push(`execution ${code(origin.executionId, 80)}`);
  if (origin.taskId) parts.push(`task ${code(origin.taskId, 60)}`);
  return parts.join(' · ');
}

/** What an event changed or fed, in a few words (raw text; the caller escapes). */
function eventDetail(event: AssetEvent): string {
  const { details } = event;
  switch (event.kind) {
    case 'UPDATED':
      return describeChanges(details).join('; ') || 'no change';
    case 'USED':
      return Array.isArray(details.outputs) ? `→ ${details.outputs.map(showValue).join(', ')}` : '';
    case 'CREATED':
      return details.recreated ? 'recreated' : details.external ? 'first used as an input' : '';
    default:
      return ''; // DELETED, or a kind newer than this code: the event name says it all
  }
}

const EVENT_EMOJI: Record<string, string> = { CREATED: ':sparkles:', UPDATED: ':pencil2:', USED: ':link:', DELETED: ':wastebasket:' };

/** `:sparkles: *CREATED* <date> · `ns.flow` · execution `id` · task `t` · by <@U1> · detail` */
export function eventLine(event: AssetEvent): string {
  const when = slackDate(event.at) ?? safeText(event.at, 40);
  const parts = [`${EVENT_EMOJI[event.kind] ?? ':grey_question:'} *${safeText(event.kind, 20)}* ${when}`];
  const origin = originText(event);
  if (origin) parts.push(origin);
  parts.push(`by ${userRef(event.actor)}`);
  const detail = eventDetail(event);
  if (detail) parts.push(safeText(detail, 300));
  return truncate(parts.join(' · '), LINE_MAX);
}

/** A context block of one safe mrkdwn text. */
export const note = (blockId: string, text: string): KnownBlock => ({ type: 'context', block_id: blockId, elements: [mrkdwn(text, LIMITS.contextText)] });

/** Last line of defence: never more blocks than a message holds (builders stay well under). */
export function capBlocks(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= LIMITS.messageBlocks) return blocks;
  return [...blocks.slice(0, LIMITS.messageBlocks - 1), note('capped', '_Shortened to fit one Slack message._')];
}
