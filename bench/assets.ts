import { freshPostgres } from './fresh-postgres.js';
import { sql } from 'drizzle-orm';
import { impactStatement, lineageStatement } from '../src/assets/lineage.js';
import { AssetService } from '../src/assets/service.js';
import { rowsOf } from '../src/assets/sql.js';
import { type Database, type Drizzle, openDatabase } from '../src/db/database.js';

/**
 * Asset lineage latency on PostgreSQL with a generated inventory of 1,000,000 assets and
 * 5,000,000 edges: every asset feeds 5 others and is fed by 5 (a permutation per edge slot,
 * so in- and out-degree are both exactly 5 and there are cycles everywhere), so 3 hops reach
 * ~155 assets each way. Generated inside PostgreSQL with generate_series. Target: `show` and
 * `impact` p50 ≤ 20 ms.
 */
const ASSETS = 1_000_000;
const FANOUT = 5;
const SAMPLES = 300;

/**
 * Bulk load as one would restore a dump: the tables' indexes and constraints (read from the
 * catalog, so they are exactly the migration's) are dropped, the rows inserted, and the same
 * definitions rebuilt — five times faster than maintaining three indexes and two foreign keys
 * row by row, and the same end state.
 */
async function withoutIndexes(tx: Drizzle, load: () => Promise<void>): Promise<void> {
  const constraints = await rowsOf<{ tbl: string; name: string; def: string; kind: string }>(
    tx,
    sql`select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def, contype as kind from pg_constraint
      where conrelid = 'asset_edges'::regclass and contype in ('p', 'f') order by contype desc`,
  );
  const indexes = await rowsOf<{ name: string; def: string }>(
    tx,
    sql`select indexname as name, indexdef as def from pg_indexes where tablename in ('asset_edges', 'assets')
      and indexname not in (select conname from pg_constraint where contype in ('p', 'u'))`,
  );
  for (const constraint of constraints) await tx.execute(sql.raw(`alter table ${constraint.tbl} drop constraint ${constraint.name}`));
  for (const index of indexes) await tx.execute(sql.raw(`drop index ${index.name}`));
  await load();
  await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
  // Primary keys first (constraints were listed foreign keys first), then indexes, then foreign keys.
  for (const constraint of [...constraints].reverse().filter((c) => c.kind === 'p')) {
    await tx.execute(sql.raw(`alter table ${constraint.tbl} add constraint ${constraint.name} ${constraint.def}`));
  }
  for (const index of indexes) await tx.execute(sql.raw(index.def));
  for (const constraint of constraints.filter((c) => c.kind === 'f')) {
    await tx.execute(sql.raw(`alter table ${constraint.tbl} add constraint ${constraint.name} ${constraint.def}`));
  }
}

async function generate(database: Database): Promise<void> {
  const started = performance.now();
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await withoutIndexes(tx, async () => {
      await tx.execute(sql`insert into assets (id, namespace, type, metadata, created_at, updated_at)
        select 'asset-' || g, 'bench.team' || (g % 20), (array['VM', 'IP', 'Certificate', 'Snapshot', 'User'])[1 + g % 5],
          jsonb_build_object('n', g, 'env', case when g % 2 = 0 then 'prod' else 'test' end), now(), now()
        from generate_series(1, ${ASSETS}) g`);
      // g ↦ (7919·g + 104729·k) mod N is a bijection for each k (7919 is prime to N): exact
      // degrees, and no pair twice since 104729·(k − k') is never a multiple of N.
      await tx.execute(sql`insert into asset_edges (upstream_id, downstream_id, created_at)
        select 'asset-' || g, 'asset-' || (1 + ((g::bigint * 7919 + k * 104729) % ${ASSETS})), now()
        from generate_series(1, ${FANOUT}) k, generate_series(1, ${ASSETS}) g`);
    });
  });
  await database.rows(sql`vacuum analyze assets`);
  await database.rows(sql`vacuum analyze asset_edges`);
  const [counts] = await database.rows<{ assets: number; edges: number; size: string }>(
    sql`select (select count(*) from assets)::int as assets, (select count(*) from asset_edges)::int as edges, pg_size_pretty(pg_database_size(current_database())) as size`,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`  generated ${counts?.assets.toLocaleString('en-US')} assets, ${counts?.edges.toLocaleString('en-US')} edges (${counts?.size}) in ${seconds} s`);
}

/** Deterministic sample of asset ids (a fixed LCG), so runs compare. */
function sampleIds(count: number): string[] {
  let state = 42;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return `asset-${1 + (state % ASSETS)}`;
  });
}

async function latency(label: string, ids: readonly string[], body: (id: string) => Promise<unknown>): Promise<void> {
  for (const id of ids.slice(0, 20)) await body(id); // warm caches and plans
  const samples: number[] = [];
  let size = 0;
  for (const id of ids) {
    const start = performance.now();
    const result = await body(id);
    samples.push(performance.now() - start);
    if (Array.isArray(result)) size += result.length;
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  const rows = size > 0 ? `   ~${Math.round(size / ids.length)} rows` : '';
  console.log(`  ${label.padEnd(52)} p50 ${at(0.5).toFixed(1).padStart(6)} ms   p99 ${at(0.99).toFixed(1).padStart(6)} ms${rows}`);
}

export async function benchAssets(databaseUrl: string | undefined): Promise<void> {
  console.log(`\nAssets (lineage: ${ASSETS.toLocaleString('en-US')} assets, ${(ASSETS * FANOUT).toLocaleString('en-US')} edges, 3 hops each way)`);
  if (!databaseUrl) {
    console.log('  not measured: needs PostgreSQL (set DATABASE_URL)');
    return;
  }
  const fresh = await freshPostgres(databaseUrl, 'assets');
  const database = await openDatabase({ url: fresh.url, maxConnections: 4 });
  try {
    await generate(database);
    const [settings] = await database.rows<{ buffers: string }>(sql`select current_setting('shared_buffers') as buffers`);
    console.log(`  server shared_buffers ${settings?.buffers}: random ids mostly miss it (reads from the OS cache)`);
    const service = new AssetService(database);
    const ids = sampleIds(SAMPLES);
    const bounds = { maxDepth: 3, limit: 10_000 };
    await latency('lineage statement alone (up + down, 3 hops)', ids, (id) => database.rows(lineageStatement(id, bounds)));
    await latency('show ID (asset + lineage 3 hops + history)', ids, async (id) => {
      const view = await service.show(id, { depth: 3 });
      return [...view.upstream, ...view.downstream];
    });
    await latency('impact statement alone (3 hops, orphan check)', ids, (id) => database.rows(impactStatement(id, bounds)));
    await latency('impact ID --depth 3', ids, async (id) => (await service.impact(id, { depth: 3 })).impacted);
    // The same few assets again and again: their pages stay in shared buffers (a busy inventory's hot set).
    const hot = Array.from({ length: 10 }, () => ids.slice(0, 10)).flat();
    await latency('show ID, 10 assets asked 10 times each (cached)', hot, async (id) => {
      const view = await service.show(id, { depth: 3 });
      return [...view.upstream, ...view.downstream];
    });
    await latency('list type=VM env=prod (first page of 50)', ids.slice(0, 100), async () => (await service.list({ types: ['VM'], metadata: { env: 'prod' } })).assets);
  } finally {
    await database.close();
    await fresh.drop();
  }
}
