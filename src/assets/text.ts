import { assertNever } from '../errors.js';
import { describeChanges } from './changes.js';
import { shortType } from './graph.js';
import type { ImpactView, AssetView } from './service.js';
import type { AssetEvent, AssetOrigin, AssetPage, RelatedAsset } from './types.js';

/**
 * Terminal rendering of the asset service's answers (`patchbay assets …`). Pure functions of
 * the data, so the CLI tests and the Slack renderer read the same facts.
 */
const MAX_CELL = 60;

function clip(text: string, width = MAX_CELL): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function value(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item);
}

export function formatMetadata(metadata: Record<string, unknown>): string {
  const entries = Object.entries(metadata);
  return entries.length === 0 ? '' : entries.map(([key, item]) => `${key}=${value(item)}`).join(', ');
}

/** `company.infra.create-vm · execution 3xYz · task create_vm` */
export function formatOrigin(origin: Pick<AssetOrigin, 'namespace' | 'flowId' | 'executionId' | 'taskId'>): string {
  const parts: string[] = [];
  if (origin.flowId) parts.push(origin.namespace ? `${origin.namespace}.${origin.flowId}` : origin.flowId);
  if (origin.executionId) parts.push(`execution ${origin.executionId}`);
  if (origin.taskId) parts.push(`task ${origin.taskId}`);
  return parts.join(' · ');
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')}`.trimEnd());
}

function relatedRows(entries: readonly RelatedAsset[], extra?: (entry: RelatedAsset) => string): string[] {
  if (entries.length === 0) return ['  (none)'];
  return table(
    entries.map((entry) => [
      String(entry.depth),
      entry.id,
      shortType(entry.type),
      clip([entry.deleted ? 'DELETED' : '', extra?.(entry) ?? '', formatMetadata(entry.metadata)].filter(Boolean).join('  ')),
    ]),
  );
}

/** What an event changed or fed, in a few words. */
function eventDetail(event: AssetEvent): string {
  const { details } = event;
  switch (event.kind) {
    case 'UPDATED':
      return describeChanges(details).join('; ') || 'no change';
    case 'USED':
      return Array.isArray(details.outputs) ? `→ ${details.outputs.join(', ')}` : '';
    case 'CREATED':
      return details.recreated ? 'recreated' : details.external ? 'first used as an input' : '';
    case 'DELETED':
      return '';
    default:
      return assertNever(event.kind, 'asset event kind');
  }
}

export function formatEvent(event: AssetEvent): string {
  return [event.at, event.kind.padEnd(7), `by ${event.actor}`, formatOrigin(event), eventDetail(event)].filter(Boolean).join('  ');
}

export function formatShow(view: AssetView): string {
  const { asset } = view;
  const lines = [`${asset.id}  ${asset.type}${asset.namespace ? `  namespace ${asset.namespace}` : ''}${asset.deleted ? `  DELETED ${asset.deleted}` : ''}`];
  if (asset.displayName) lines.push(`  name: ${asset.displayName}`);
  if (asset.description) lines.push(`  description: ${asset.description}`);
  if (Object.keys(asset.metadata).length > 0) lines.push(`  metadata: ${formatMetadata(asset.metadata)}`);
  const by = (origin: AssetOrigin | null) => (origin ? ` by ${origin.actor}${formatOrigin(origin) ? ` (${formatOrigin(origin)})` : ''}` : '');
  lines.push(`  created ${asset.created}${by(asset.createdBy)}`);
  if (asset.updated !== asset.created || asset.updatedBy?.executionId !== asset.createdBy?.executionId) lines.push(`  updated ${asset.updated}${by(asset.updatedBy)}`);
  const more = (truncated: boolean) => (truncated ? ' (more beyond; use --depth)' : '');
  lines.push('', `upstream — what it depends on (${view.upstream.length}, up to ${view.depth} hops)${more(view.truncated.upstream)}:`, ...relatedRows(view.upstream));
  lines.push('', `downstream — what depends on it (${view.downstream.length}, up to ${view.depth} hops)${more(view.truncated.downstream)}:`, ...relatedRows(view.downstream));
  lines.push('', 'history:', ...(view.events.length === 0 ? ['  (none)'] : view.events.map((event) => `  ${formatEvent(event)}`)));
  return `${lines.join('\n')}\n`;
}

export function formatImpact(view: ImpactView): string {
  const { asset, impacted, orphaned } = view;
  const head = `impact of removing ${asset.id} (${shortType(asset.type)}): ${impacted.length} asset(s) downstream, ${orphaned.length} would be orphaned${view.truncated ? ' (walk truncated: the real impact is larger)' : ''}`;
  const rows = relatedRows(impacted, (entry) => ((entry as RelatedAsset & { orphaned: boolean }).orphaned ? 'ORPHANED' : 'still fed'));
  return `${[head, ...(impacted.length === 0 ? [] : rows)].join('\n')}\n`;
}

export function formatList(page: AssetPage): string {
  if (page.assets.length === 0) return 'no assets match\n';
  const rows = table(
    page.assets.map((asset) => [asset.id, shortType(asset.type), asset.namespace ?? '-', clip([asset.deleted ? 'DELETED' : '', formatMetadata(asset.metadata)].filter(Boolean).join('  '))]),
  );
  if (page.next) rows.push(`  … more: add --after ${page.next}`);
  return `${rows.join('\n')}\n`;
}
