/**
 * Block Kit for `/assets list …`: one page of assets grouped by type, the filter it answers,
 * and a "Next page" button. The button's value is the command line of the next page (filter
 * and cursor), so the Slack listener only re-dispatches it to the `/assets` family: no state
 * is kept between pages, and a page link still works after a restart.
 */
import { shortType } from '../../assets/graph.js';
import type { AssetListFilter, AssetPage, AssetSummary } from '../../assets/types.js';
import { capBlocks, groupByType, metadataText, note, packGroups, typeHeading } from './assets-parts.js';
import type { KnownBlock, Message } from './slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText, showValue } from './text.js';

/**
 * Clicking "Next page" sends this action id; its value is the text to dispatch to the
 * `assets` family as it is (it starts with `list `, e.g. `list type=VM after=web-02`).
 */
export const ASSETS_PAGE_ACTION_ID = 'assets_page';

export interface AssetListOptions {
  /** The filter of this page, shown so the person knows what the list answers. */
  filter: AssetListFilter;
  /** The `/assets` text of the next page; left out (a hint instead) when longer than a button value may be. */
  nextCommand?: string;
}

/** Sections of one page: asset lines are short, a page of 25 fits in a handful. */
const MAX_LIST_BLOCKS = 40;
/** The filter shown above the list; leaves room for the count in the same context block. */
const FILTER_MAX = 2000;

function assetLine(asset: AssetSummary & { deleted: string | null }): string {
  const parts = [`• ${code(asset.id, 200)}${asset.displayName && asset.displayName !== asset.id ? ` — ${safeText(asset.displayName, 80)}` : ''}`];
  if (asset.deleted) parts.push('_deleted_');
  if (asset.namespace) parts.push(`namespace ${code(asset.namespace, 120)}`);
  const metadata = metadataText(asset.metadata);
  if (metadata) parts.push(metadata);
  return parts.join(' · ');
}

/** `type `VM` or `IP` · namespace `x` · role=web · matching “web”` (safe mrkdwn). */
export function describeFilter(filter: AssetListFilter): string {
  const parts: string[] = [];
  if (filter.types?.length) parts.push(`type ${filter.types.map((type) => code(type, 120)).join(' or ')}`);
  if (filter.namespace) parts.push(`namespace ${code(filter.namespace, 120)}`);
  for (const [key, value] of Object.entries(filter.metadata ?? {})) parts.push(code(`${key}=${showValue(value)}`, 200));
  if (filter.text) parts.push(`matching ${code(filter.text, 200)}`);
  if (filter.after) parts.push(`after ${code(filter.after, 200)}`);
  // Whole parts only: a cut inside a code span or an entity would garble the rest.
  let text = '';
  for (const part of parts) {
    if (text.length + part.length + 3 > FILTER_MAX) return `${text} · …`;
    text = text ? `${text} · ${part}` : part;
  }
  return text;
}

export function assetListMessage(page: AssetPage, options: AssetListOptions): Message {
  const filter = describeFilter(options.filter);
  const title: KnownBlock = { type: 'header', block_id: 'title', text: plain('Assets', LIMITS.header) };
  if (page.assets.length === 0) {
    const hint = options.filter.types?.length ? ' Types match in full, e.g. `io.kestra.plugin.ee.assets.VM`.' : '';
    const text = filter ? `No assets match ${filter}.${hint}` : 'No assets recorded yet: flows add them through their tasks’ `assets` property.';
    return { text: 'No assets match', blocks: [title, { type: 'section', block_id: 'empty', text: mrkdwn(text) }] };
  }
  const count = `${page.assets.length} asset${page.assets.length === 1 ? '' : 's'}${page.next ? ' on this page' : ''}`;
  const blocks: KnownBlock[] = [title, note('filter', filter ? `${count} · ${filter}` : count)];
  const groups = groupByType(page.assets).map(([type, assets]) => ({ heading: typeHeading(type, assets.length, true), lines: assets.map(assetLine) }));
  blocks.push(...packGroups(groups, 'assets', MAX_LIST_BLOCKS, 'assets'));
  if (page.next) blocks.push(...nextPage(page.next, options.nextCommand));
  const types = groupByType(page.assets).map(([type]) => shortType(type)).join(', ');
  return { text: safeText(`${count}: ${types}`, 500), blocks: capBlocks(blocks) };
}

/** The button when its value fits Slack's limit; otherwise how to ask for the next page by hand. */
function nextPage(cursor: string, command: string | undefined): KnownBlock[] {
  if (command !== undefined && command.length <= LIMITS.buttonValue) {
    return [{
      type: 'actions',
      block_id: 'paging',
      elements: [{ type: 'button', action_id: ASSETS_PAGE_ACTION_ID, value: command, text: plain('Next page', LIMITS.buttonText) }],
    }];
  }
  return [note('paging', `More assets: repeat the command with ${code(`after=${cursor}`, 300)}.`)];
}
