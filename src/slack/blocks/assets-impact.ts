/**
 * Block Kit for `/assets impact <id>` (what removing the asset would affect, grouped by type,
 * the ones left without any upstream flagged) and the caption of the `/assets graph` picture.
 */
import { shortType } from '../../assets/graph.js';
import type { GraphView, ImpactView } from '../../assets/service.js';
import { capBlocks, groupByType, note, packGroups, relatedLine, typeHeading } from './assets-parts.js';
import type { KnownBlock, Message } from './slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText } from './text.js';

const MAX_IMPACT_BLOCKS = 40;
/** The "would be orphaned" summary names assets up to this length, then counts the rest. */
const ORPHAN_LIST_MAX = 2500;

const ORPHANED = ':warning: *orphaned*';

/** Ids as code spans, whole ones only, the rest counted. */
function idList(ids: readonly string[], max: number): string {
  let text = '';
  for (const [index, id] of ids.entries()) {
    const item = code(id, 200);
    if (text.length + item.length + 20 > max) return `${text} and ${ids.length - index} more`;
    text = text ? `${text}, ${item}` : item;
  }
  return text;
}

export function assetImpactMessage(view: ImpactView): Message {
  const { asset, impacted, orphaned } = view;
  const name = `${code(asset.id, 200)} (${safeText(shortType(asset.type), 120)})`;
  const blocks: KnownBlock[] = [{ type: 'header', block_id: 'title', text: plain(`Impact of removing ${asset.id}`, LIMITS.header) }];
  if (impacted.length === 0) {
    blocks.push({ type: 'section', block_id: 'summary', text: mrkdwn(`Nothing depends on ${name}: removing it affects no other asset.`) });
    return { text: safeText(`Impact of removing ${asset.id}: nothing depends on it`, 500), blocks };
  }
  const counts = `*${impacted.length}* asset${impacted.length === 1 ? '' : 's'} downstream, *${orphaned.length}* would be orphaned`;
  blocks.push({ type: 'section', block_id: 'summary', text: mrkdwn(`Removing ${name} affects ${counts}.`) });
  if (orphaned.length > 0) {
    const list = idList(orphaned.map((entry) => entry.id), ORPHAN_LIST_MAX);
    blocks.push({ type: 'section', block_id: 'orphaned', text: mrkdwn(`${ORPHANED} — no upstream left outside this set: ${list}`) });
  }
  if (view.truncated) blocks.push(note('truncated', ':warning: The walk stopped at its depth or size limit: the real impact is larger.'));
  const groups = groupByType(impacted).map(([type, entries]) => ({
    heading: typeHeading(type, entries.length),
    lines: entries.map((entry) => relatedLine(entry, entry.orphaned ? ORPHANED : 'still fed')),
  }));
  blocks.push({ type: 'divider', block_id: 'divider' }, ...packGroups(groups, 'impacted', MAX_IMPACT_BLOCKS, 'assets'));
  const text = `Impact of removing ${asset.id}: ${impacted.length} downstream, ${orphaned.length} would be orphaned`;
  return { text: safeText(text, 500), blocks: capBlocks(blocks) };
}

/** Caption of the lineage picture (the file reply's message). */
export function assetGraphCaption(id: string, view: Pick<GraphView, 'nodes' | 'edges' | 'truncated'>, depth: number): Message {
  const what = `${view.nodes} asset${view.nodes === 1 ? '' : 's'}, ${view.edges} link${view.edges === 1 ? '' : 's'}, up to ${depth} hop${depth === 1 ? '' : 's'} each way`;
  const blocks: KnownBlock[] = [{ type: 'section', block_id: 'caption', text: mrkdwn(`:frame_with_picture: Lineage of ${code(id, 200)}: ${what}.`) }];
  if (view.truncated) blocks.push(note('truncated', `:warning: More lineage lies beyond what is drawn (depth or size limit); ${code(`/assets show ${id}`, 250)} lists it.`));
  return { text: safeText(`Lineage of ${id}: ${what}`, 500), blocks };
}
