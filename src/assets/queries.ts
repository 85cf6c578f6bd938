import { type SQL, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { SUMMARY_COLUMNS, containsPattern, isoText, jsonb, rowsOf, summaryTimes } from './sql.js';
import type { AssetDetail, AssetEvent, AssetListFilter, AssetPage, AssetQuery, AssetSummary } from './types.js';

/**
 * Reads of the inventory other than lineage: one asset, its history, filtered pages, and the
 * lookups behind `assets()`. Every filter is written so an index serves it on a million rows:
 * id (primary key), type and namespace (btree, id-ordered for keyset pages), metadata (GIN
 * `jsonb_path_ops`, containment only). Free text is the one scan, bounded by the page size.
 */
export const MAX_PAGE = 1000;

/**
 * Metadata equality as people type it: `port=443` on the command line (or `'443'` in a
 * template) also matches the number 443 stored by a flow, and `true` the boolean.
 */
function metadataEquals(key: string, value: unknown): SQL {
  const exact = sql`a.metadata @> ${jsonb({ [key]: value })}`;
  if (typeof value !== 'string') return exact;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return exact;
  }
  if (typeof parsed !== 'number' && typeof parsed !== 'boolean' && parsed !== null) return exact;
  return sql`(${exact} or a.metadata @> ${jsonb({ [key]: parsed })})`;
}

function conditions(filter: AssetListFilter & { id?: string }): SQL[] {
  const where: SQL[] = [];
  if (!filter.includeDeleted) where.push(sql`a.deleted_at is null`);
  if (filter.id !== undefined) where.push(sql`a.id = ${filter.id}`);
  if (filter.types && filter.types.length === 1) where.push(sql`a.type = ${filter.types[0]}`);
  else if (filter.types && filter.types.length > 1) where.push(sql`a.type in (select jsonb_array_elements_text(${jsonb(filter.types)}))`);
  if (filter.namespace !== undefined) where.push(sql`a.namespace = ${filter.namespace}`);
  for (const [key, value] of Object.entries(filter.metadata ?? {})) where.push(metadataEquals(key, value));
  for (const [key, value] of Object.entries(filter.metadataNot ?? {})) where.push(sql`not ${metadataEquals(key, value)}`);
  if (filter.text) {
    const pattern = containsPattern(filter.text);
    where.push(sql`(a.id ilike ${pattern} or a.display_name ilike ${pattern})`);
  }
  if (filter.after !== undefined) where.push(sql`a.id > ${filter.after}`);
  return where;
}

const whereClause = (where: SQL[]): SQL => (where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``);

/** One page in id order; `next` is the cursor of the following page. */
export async function listAssets(tx: Drizzle, filter: AssetListFilter): Promise<AssetPage> {
  const limit = Math.min(Math.max(1, filter.limit ?? 50), MAX_PAGE);
  const rows = await rowsOf<AssetPage['assets'][number]>(
    tx,
    sql`select ${SUMMARY_COLUMNS}, ${summaryTimes()}, ${isoText(sql`a.deleted_at`)} as deleted
      from assets a ${whereClause(conditions(filter))} order by a.id limit ${limit + 1} offset ${Math.max(0, filter.offset ?? 0)}`,
  );
  const page = rows.slice(0, limit);
  return { assets: page, next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}

/**
 * Several `assets()` lookups in one statement: one `union all` branch per query, each
 * planned with its own predicates (a generic `x is null or col = x` would defeat the
 * indexes), each capped at `cap` rows.
 */
function lookupStatement(queries: readonly AssetQuery[], cap: number): SQL {
  const branches = queries.map((query, index) => {
    const filter: AssetListFilter & { id?: string } = {};
    if (query.id !== undefined) filter.id = query.id;
    if (query.type !== undefined) filter.types = [query.type];
    if (query.namespace !== undefined) filter.namespace = query.namespace;
    if (query.metadata !== undefined) filter.metadata = query.metadata;
    return sql`(select ${index}::int as query, ${SUMMARY_COLUMNS}, ${summaryTimes()}
      from assets a ${whereClause(conditions(filter))} order by a.id limit ${cap})`;
  });
  return sql.join(branches, sql` union all `);
}

export async function lookupAssets(tx: Drizzle, queries: readonly AssetQuery[], cap: number): Promise<AssetSummary[][]> {
  const results: AssetSummary[][] = queries.map(() => []);
  if (queries.length === 0) return results;
  const rows = await rowsOf<AssetSummary & { query: number }>(tx, lookupStatement(queries, cap));
  for (const { query, ...asset } of rows) results[query]?.push(asset);
  return results;
}

export function assetStatement(id: string): SQL {
  return sql`select ${SUMMARY_COLUMNS}, ${summaryTimes()}, ${isoText(sql`a.deleted_at`)} as deleted,
    a.created_by as "createdBy", a.updated_by as "updatedBy" from assets a where a.id = ${id}`;
}

export async function getAsset(tx: Drizzle, id: string): Promise<AssetDetail | undefined> {
  const [row] = await rowsOf<AssetDetail>(tx, assetStatement(id));
  return row;
}

const EVENT_COLUMNS = sql`e.id::float8 as id, e.asset_id as "assetId", e.kind, ${isoText(sql`e.at`)} as at, e.actor,
  e.execution_id as "executionId", e.namespace, e.flow_id as "flowId", e.task_id as "taskId", e.details`;

/** The latest `limit` events of an asset, oldest first. */
export function eventsStatement(id: string, limit: number): SQL {
  return sql`select * from (select ${EVENT_COLUMNS} from asset_events e where e.asset_id = ${id} order by e.id desc limit ${limit}) x order by id`;
}

/** What one execution did to the inventory (for its status message): events in order, with the asset's type. */
export async function executionEvents(tx: Drizzle, executionId: string): Promise<(AssetEvent & { type: string })[]> {
  return rowsOf(tx, sql`select ${EVENT_COLUMNS}, a.type from asset_events e join assets a on a.id = e.asset_id
    where e.execution_id = ${executionId} order by e.id`);
}
