import { type SQL, sql } from 'drizzle-orm';
import { inIds } from './sql.js';

/**
 * Lineage walks, each one SQL statement built around a recursive CTE.
 *
 * The usual recursive CTE carries one row per *path* (`union all` with a path array as cycle
 * guard). On a graph with diamonds — a VM feeding an IP and a certificate that also uses the
 * IP — paths multiply with every hop (5 edges per asset and 10 hops is ~10⁷ paths). So each
 * round here carries the whole breadth-first *frontier* instead: one row per depth with the
 * ids reached last (`frontier`) and every id reached so far with its depth (`seen`, a jsonb
 * object, whose key lookup `jsonb_exists` is a binary search). An id already seen is never
 * expanded again, which is the cycle guard and keeps the work linear in the edges visited.
 * The walk stops at `maxDepth` hops or once `limit` ids were reached (`truncated` says so).
 */
export type Direction = 'down' | 'up';

const COLUMNS: Record<Direction, { from: SQL; next: SQL }> = {
  // down: what depends on the asset (asset → downstream); up: what it depends on.
  down: { from: sql.raw('e.upstream_id'), next: sql.raw('e.downstream_id') },
  up: { from: sql.raw('e.downstream_id'), next: sql.raw('e.upstream_id') },
};

export interface WalkBounds {
  maxDepth: number;
  limit: number;
}

/** `<name>(depth, frontier, seen, total)`: one row per breadth-first round. */
function walkCte(name: Direction, root: string, bounds: WalkBounds): SQL {
  const { from, next } = COLUMNS[name];
  const self = sql.raw(name);
  return sql`${self}(depth, frontier, seen, total) as (
    select 0, array[${root}::text], jsonb_build_object(${root}::text, 0), 0
    union all
    select w.depth + 1, n.ids, w.seen || n.found, w.total + cardinality(n.ids)
    from ${self} w
    cross join lateral (
      select array_agg(x.id) as ids, jsonb_object_agg(x.id, w.depth + 1) as found
      from (select distinct ${next} as id from asset_edges e
            where ${from} = any(w.frontier) and not jsonb_exists(w.seen, ${next})) x
    ) n
    where w.depth < ${bounds.maxDepth} and w.total < ${bounds.limit} and n.ids is not null
  ), ${sql.raw(`${name}_last`)} as (select * from ${self} order by depth desc limit 1)`;
}

/** True when the walk stopped early: the id limit was reached, or edges lead past the last round. */
function truncated(name: Direction, bounds: WalkBounds): SQL {
  const { from, next } = COLUMNS[name];
  const last = sql.raw(`${name}_last`);
  return sql`((select total from ${last}) >= ${bounds.limit} or exists (
    select 1 from ${last} l join asset_edges e on ${from} = any(l.frontier)
    where l.depth >= ${bounds.maxDepth} and not jsonb_exists(l.seen, ${next})))`;
}

const RELATED_COLUMNS = sql.raw(`a.id, a.type, a.namespace, a.display_name as "displayName", a.metadata, a.deleted_at is not null as deleted`);

/** The ids reached by one walk (root excluded), nearest first, with their assets. */
function reached(name: Direction, root: string, bounds: WalkBounds): SQL {
  const last = sql.raw(`${name}_last`);
  return sql`(select ${name}::text as direction, ${RELATED_COLUMNS}, n.value::int as depth, ${truncated(name, bounds)} as truncated
    from ${last} l cross join lateral jsonb_each_text(l.seen) n join assets a on a.id = n.key
    where n.key <> ${root} order by depth, a.id limit ${bounds.limit})`;
}

/** Upstream and downstream of `root` in one statement. */
export function lineageStatement(root: string, bounds: WalkBounds): SQL {
  return sql`with recursive ${walkCte('down', root, bounds)}, ${walkCte('up', root, bounds)}
    ${reached('down', root, bounds)} union all ${reached('up', root, bounds)}`;
}

/**
 * Everything downstream of `root`, and for each whether it would be orphaned by removing
 * `root`: it still exists and none of its live upstreams lies outside the impacted set.
 */
export function impactStatement(root: string, bounds: WalkBounds): SQL {
  return sql`with recursive ${walkCte('down', root, bounds)}
    select ${RELATED_COLUMNS}, n.value::int as depth, ${truncated('down', bounds)} as truncated,
      (a.deleted_at is null and not exists (
        select 1 from asset_edges e join assets u on u.id = e.upstream_id
        where e.downstream_id = a.id and u.deleted_at is null and not jsonb_exists(l.seen, e.upstream_id))) as orphaned
    from down_last l cross join lateral jsonb_each_text(l.seen) n join assets a on a.id = n.key
    where n.key <> ${root} order by depth, a.id limit ${bounds.limit}`;
}

/** Edges among a set of ids (the picture of `graph`). */
export function edgesAmong(ids: readonly string[]): SQL {
  return sql`select upstream_id as up, downstream_id as down from asset_edges
    where ${inIds(sql`upstream_id`, ids)} and ${inIds(sql`downstream_id`, ids)} order by upstream_id, downstream_id`;
}
