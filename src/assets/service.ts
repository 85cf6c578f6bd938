import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { type GraphEdge, type GraphNode, buildDot, dotToPng } from './graph.js';
import { type WalkBounds, edgesAmong, impactStatement, lineageStatement } from './lineage.js';
import { assetStatement, eventsStatement, executionEvents, listAssets } from './queries.js';
import { containsPattern } from './sql.js';
import type { AssetDetail, AssetEvent, AssetListFilter, AssetPage, RelatedAsset } from './types.js';

/**
 * The asset queries behind the CLI and Slack (`show`, `list`, `impact`, `graph`): plain data
 * out, presentation elsewhere (text.ts for the terminal, Block Kit in the Slack layer).
 */
export interface AssetView {
  asset: AssetDetail;
  /** What the asset depends on, nearest first. */
  upstream: RelatedAsset[];
  /** What depends on the asset, nearest first. */
  downstream: RelatedAsset[];
  /** Latest history, oldest first. */
  events: AssetEvent[];
  depth: number;
  /** A walk stopped at the depth or size limit: there is more beyond. */
  truncated: { upstream: boolean; downstream: boolean };
}

export interface ImpactView {
  asset: AssetDetail;
  /** Everything transitively downstream; `orphaned`: nothing outside this set would still feed it. */
  impacted: (RelatedAsset & { orphaned: boolean })[];
  orphaned: RelatedAsset[];
  truncated: boolean;
}

export interface GraphView {
  dot: string;
  png: Buffer;
  nodes: number;
  edges: number;
  truncated: boolean;
}

export interface ExecutionAssets {
  created: { id: string; type: string }[];
  updated: { id: string; type: string }[];
  used: { id: string; type: string }[];
  deleted: { id: string; type: string }[];
}

export const DEPTH_LIMITS = { show: { default: 3, max: 10 }, impact: { default: 20, max: 50 }, graph: { default: 2, max: 6 } } as const;
/** Ids per walk direction: enough for any real VM's neighbourhood, bounded for a pathological one. */
const RELATED_LIMIT = { show: 500, impact: 10_000, graph: 80 } as const;

type Related = RelatedAsset & { direction: 'up' | 'down'; truncated: boolean };

export function checkDepth(value: unknown, what: keyof typeof DEPTH_LIMITS): number {
  const limits = DEPTH_LIMITS[what];
  if (value === undefined || value === null) return limits.default;
  const depth = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > limits.max) {
    throw new PatchbayError(ErrorCode.INPUT_INVALID, `depth must be an integer from 1 to ${limits.max}, got ${JSON.stringify(value)}`);
  }
  return depth;
}

export class AssetService {
  constructor(private readonly database: Database) {}

  private async asset(id: string, found: AssetDetail | undefined): Promise<AssetDetail> {
    if (found) return found;
    const similar = await this.database.rows<{ id: string }>(
      sql`select id from assets where id ilike ${containsPattern(id)} order by length(id), id limit 3`,
    );
    const hint = similar.length > 0 ? `; did you mean ${similar.map((row) => `\`${row.id}\``).join(', ')}?` : '';
    throw new PatchbayError(ErrorCode.NOT_FOUND, `no asset \`${id}\`${hint}`, { details: { id } });
  }

  /** The asset, its lineage both ways (`depth` hops) and its latest history, in three concurrent reads. */
  async show(id: string, options: { depth?: number | string; events?: number } = {}): Promise<AssetView> {
    const depth = checkDepth(options.depth, 'show');
    const bounds: WalkBounds = { maxDepth: depth, limit: RELATED_LIMIT.show };
    const [[row], related, events] = await Promise.all([
      this.database.rows<AssetDetail>(assetStatement(id)),
      this.database.rows<Related>(lineageStatement(id, bounds)),
      this.database.rows<AssetEvent>(eventsStatement(id, options.events ?? 50)),
    ]);
    const asset = await this.asset(id, row);
    const pick = (direction: 'up' | 'down') => related.filter((entry) => entry.direction === direction);
    return {
      asset,
      upstream: pick('up').map(plain),
      downstream: pick('down').map(plain),
      events,
      depth,
      truncated: { upstream: pick('up').some((entry) => entry.truncated), downstream: pick('down').some((entry) => entry.truncated) },
    };
  }

  list(filter: AssetListFilter = {}): Promise<AssetPage> {
    return listAssets(this.database.db, filter);
  }

  /** What deleting the asset would affect, and what would be left with no live upstream. */
  async impact(id: string, options: { depth?: number | string } = {}): Promise<ImpactView> {
    const bounds: WalkBounds = { maxDepth: checkDepth(options.depth, 'impact'), limit: RELATED_LIMIT.impact };
    const [[row], rows] = await Promise.all([
      this.database.rows<AssetDetail>(assetStatement(id)),
      this.database.rows<RelatedAsset & { orphaned: boolean; truncated: boolean }>(impactStatement(id, bounds)),
    ]);
    const asset = await this.asset(id, row);
    const impacted = rows.map(({ truncated: _truncated, ...entry }) => entry);
    return {
      asset,
      impacted,
      orphaned: impacted.filter((entry) => entry.orphaned).map(({ orphaned: _orphaned, ...entry }) => entry),
      truncated: rows.some((entry) => entry.truncated),
    };
  }

  /** The lineage around the asset as DOT and PNG. */
  async graph(id: string, options: { depth?: number | string } = {}): Promise<GraphView> {
    const depth = checkDepth(options.depth, 'graph');
    const [[row], related] = await Promise.all([
      this.database.rows<AssetDetail>(assetStatement(id)),
      this.database.rows<Related>(lineageStatement(id, { maxDepth: depth, limit: RELATED_LIMIT.graph })),
    ]);
    const asset = await this.asset(id, row);
    const nodes = new Map<string, GraphNode>([[asset.id, { id: asset.id, type: asset.type, displayName: asset.displayName, deleted: asset.deleted !== null, root: true }]]);
    for (const entry of related) if (!nodes.has(entry.id)) nodes.set(entry.id, entry);
    const edges = await this.database.rows<GraphEdge>(edgesAmong([...nodes.keys()]));
    const truncated = related.some((entry) => entry.truncated);
    const dot = buildDot([...nodes.values()], edges, truncated ? `more lineage beyond ${depth} hop(s) or ${RELATED_LIMIT.graph} assets: not drawn` : undefined);
    return { dot, png: await dotToPng(dot), nodes: nodes.size, edges: edges.length, truncated };
  }

  /** The assets an execution created, updated, used and deleted (for its status message). */
  async forExecution(executionId: string): Promise<ExecutionAssets> {
    const result: ExecutionAssets = { created: [], updated: [], used: [], deleted: [] };
    const seen = new Set<string>();
    for (const event of await executionEvents(this.database.db, executionId)) {
      const key = `${event.kind}\u0000${event.assetId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = { CREATED: result.created, UPDATED: result.updated, USED: result.used, DELETED: result.deleted }[event.kind];
      list.push({ id: event.assetId, type: event.type });
    }
    return result;
  }
}

function plain(entry: Related): RelatedAsset {
  const { id, type, namespace, displayName, metadata, depth, deleted } = entry;
  return { id, type, namespace, displayName, metadata, depth, deleted };
}
