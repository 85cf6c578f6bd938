import { type SQL, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { type AssetChanges, type StoredAsset, diffAsset, hasChanges, mergeMetadata } from './changes.js';
import { inIds, jsonb, rowsOf } from './sql.js';
import { type AssetOrigin, AssetEventKind, type DeclaredAssets, type DeclaredOutput, EXTERNAL_TYPE, type TaskAssetOrigin, UNKNOWN_TYPE } from './types.js';

/**
 * Records what a task run declared in `assets`, inside the caller's transaction (the engine's
 * completion transaction). Two statements whatever the number of assets: one read that locks
 * the outputs, one write made of data-modifying CTEs (new assets — EXTERNAL inputs and new
 * outputs —, updated outputs, lineage edges, events). Foreign keys are checked at the end of
 * that statement, so edges may point at assets inserted by the same statement.
 *
 * Existing outputs are locked (FOR NO KEY UPDATE, in id order) to diff their metadata exactly;
 * inputs are only read, so a popular input (a shared network) does not serialise every flow
 * that uses it. New rows are inserted in id order too. An asset another transaction created
 * after our read still merges correctly (`on conflict do update … ||`) and gets the right
 * event (see EventRow.via).
 */
interface EventRow {
  asset_id: string;
  kind: AssetEventKind;
  details: Record<string, unknown>;
  /**
   * The CREATED event of a row this statement inserts (an EXTERNAL input, or a new output).
   * Another transaction may have inserted it after our read: an EXTERNAL input then gets no
   * event (the other one wrote it), an output an UPDATED event with `raced` as details instead.
   */
  via?: 'ext' | 'ins';
  raced?: Record<string, unknown>;
}

interface RecordPlan {
  external: string[];
  inserts: DeclaredOutput[];
  updates: DeclaredOutput[];
  edges: { up: string; down: string }[];
  events: EventRow[];
}

export function toAssetOrigin(origin: TaskAssetOrigin): AssetOrigin {
  const { executionId, namespace, flowId, taskId, taskRunId, actor, at } = origin;
  return { executionId, namespace, flowId, taskId, taskRunId, actor, at };
}

/** A stored asset, and the task run that last changed it (to recognise a repeated recording). */
type Existing = StoredAsset & { updatedByRun: string | null };

async function readAssets(tx: Drizzle, outputs: string[], inputsOnly: string[]): Promise<Map<string, Existing>> {
  const columns = sql.raw(
    `id, type, namespace, display_name as "displayName", description, metadata, deleted_at is not null as deleted, updated_by->>'taskRunId' as "updatedByRun"`,
  );
  const locked = sql`select ${columns} from assets where ${inIds(sql`id`, outputs)} order by id for no key update`;
  const query =
    inputsOnly.length === 0
      ? locked
      : sql`with locked as (${locked}) select * from locked union all select ${columns} from assets where ${inIds(sql`id`, inputsOnly)}`;
  const rows = await rowsOf<Existing>(tx, query);
  return new Map(rows.map((row) => [row.id, row]));
}

/** Pure: what to write, given what exists (outputs locked, so the diffs are exact). */
function planRecord(existing: ReadonlyMap<string, Existing>, origin: AssetOrigin, declared: DeclaredAssets): RecordPlan {
  const outputIds = new Set(declared.outputs.map((output) => output.id));
  const plan: RecordPlan = { external: [], inserts: [], updates: [], edges: [], events: [] };
  for (const { id } of declared.inputs) {
    // As Kestra does: an input nobody declared yet exists from now on, typed EXTERNAL.
    if (!existing.has(id) && !outputIds.has(id)) {
      plan.external.push(id);
      plan.events.push({ asset_id: id, kind: AssetEventKind.CREATED, details: { type: EXTERNAL_TYPE, external: true }, via: 'ext' });
    }
    const feeds = declared.outputs.map((output) => output.id).filter((out) => out !== id);
    plan.events.push({ asset_id: id, kind: AssetEventKind.USED, details: feeds.length > 0 ? { outputs: feeds } : {} });
    for (const down of feeds) plan.edges.push({ up: id, down });
  }
  for (const output of declared.outputs) {
    const stored = existing.get(output.id);
    if (!stored) {
      const row: DeclaredOutput = { ...output, type: output.type ?? UNKNOWN_TYPE, namespace: output.namespace ?? origin.namespace ?? undefined };
      plan.inserts.push(row);
      const metadata = output.metadata ?? {};
      const raced = { concurrent: true, metadata: Object.fromEntries(Object.entries(metadata).map(([key, to]) => [key, { to }])), fields: {} };
      plan.events.push({ asset_id: output.id, kind: AssetEventKind.CREATED, details: { type: row.type, metadata }, via: 'ins', raced });
      continue;
    }
    plan.updates.push(output);
    const changes: AssetChanges = diffAsset(stored, output);
    if (stored.deleted) {
      const details = { recreated: true, type: output.type ?? stored.type, metadata: mergeMetadata(stored.metadata, output.metadata) };
      plan.events.push({ asset_id: output.id, kind: AssetEventKind.CREATED, details });
    } else if (hasChanges(changes)) {
      plan.events.push({ asset_id: output.id, kind: AssetEventKind.UPDATED, details: { ...changes } });
    } else if (origin.taskRunId === null || stored.updatedByRun !== origin.taskRunId) {
      // Recorded even without a change, so the history names every run that touched it; but
      // not twice for one task run (a redelivered completion, a retried asset task).
      plan.events.push({ asset_id: output.id, kind: AssetEventKind.UPDATED, details: { unchanged: true } });
    }
  }
  return plan;
}

const OUTPUT_RECORD = sql.raw(`r(id text, type text, namespace text, "displayName" text, description text, metadata jsonb)`);

function writeStatement(origin: AssetOrigin, plan: RecordPlan): SQL {
  const at = sql`${origin.at}::timestamptz`;
  const who = jsonb(origin);
  const parts: SQL[] = [];
  const fresh = [
    ...plan.external.map((id) => ({ id, type: EXTERNAL_TYPE, namespace: origin.namespace })),
    ...plan.inserts,
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (fresh.length > 0) {
    // One insert for EXTERNAL inputs and new outputs, in id order: two executions inserting
    // each other's new ids cannot deadlock. On a conflict (another transaction inserted the id
    // since our read) an output merges its metadata; an EXTERNAL stand-in changes nothing.
    parts.push(sql`ins as (insert into assets (id, namespace, type, display_name, description, metadata, created_at, updated_at, created_by, updated_by)
      select e.v->>'id', e.v->>'namespace', e.v->>'type', e.v->>'displayName', e.v->>'description', coalesce(e.v->'metadata', '{}'::jsonb),
        ${at}, ${at}, ${who}, ${who}
      from jsonb_array_elements(${jsonb(fresh)}) with ordinality as e(v, n) order by e.n
      on conflict (id) do update set metadata = assets.metadata || excluded.metadata, updated_at = excluded.updated_at,
        updated_by = excluded.updated_by, deleted_at = null,
        type = case when assets.type = ${EXTERNAL_TYPE} then excluded.type else assets.type end,
        display_name = coalesce(assets.display_name, excluded.display_name), description = coalesce(assets.description, excluded.description)
      where excluded.type <> ${EXTERNAL_TYPE}
      returning id, (xmax = 0) as inserted)`);
  }
  if (plan.updates.length > 0) {
    parts.push(sql`upd as (update assets a set type = coalesce(r.type, a.type), namespace = coalesce(r.namespace, a.namespace),
        display_name = coalesce(r."displayName", a.display_name), description = coalesce(r.description, a.description),
        metadata = a.metadata || coalesce(r.metadata, '{}'::jsonb), updated_at = ${at}, updated_by = ${who}, deleted_at = null
      from jsonb_to_recordset(${jsonb(plan.updates)}) as ${OUTPUT_RECORD} where a.id = r.id)`);
  }
  if (plan.edges.length > 0) {
    parts.push(sql`edges as (insert into asset_edges (upstream_id, downstream_id, created_at, created_by)
      select r.up, r.down, ${at}, ${who} from jsonb_to_recordset(${jsonb(plan.edges)}) as r(up text, down text) on conflict do nothing)`);
  }
  // `xmax = 0` tells a row `ins` inserted from one it updated after a conflict.
  const inserted = sql`coalesce((select i.inserted from ins i where i.id = e.v->>'asset_id'), false)`;
  // coalesce: most events have no `via`, and a null here would drop them from the insert.
  const raced = fresh.length > 0 ? sql`(coalesce(e.v->>'via', '') = 'ins' and not ${inserted})` : sql`false`;
  const lost = fresh.length > 0 ? sql`(coalesce(e.v->>'via', '') = 'ext' and not ${inserted})` : sql`false`;
  parts.push(sql`events as (insert into asset_events (asset_id, kind, at, actor, execution_id, namespace, flow_id, task_id, task_run_id, details)
    select e.v->>'asset_id', case when ${raced} then ${AssetEventKind.UPDATED} else e.v->>'kind' end, ${at}, ${origin.actor},
      ${origin.executionId}, ${origin.namespace}, ${origin.flowId}, ${origin.taskId}, ${origin.taskRunId},
      case when ${raced} then e.v->'raced' else e.v->'details' end
    from jsonb_array_elements(${jsonb(plan.events)}) with ordinality as e(v, n) where not ${lost} order by e.n
    on conflict (asset_id, task_run_id) where kind = 'USED' and task_run_id is not null do nothing)`);
  return sql`with ${sql.join(parts, sql`, `)} select 1`;
}

/**
 * The engine's hook: called when a task run ends SUCCESS or WARNING with a declared `assets`
 * property (rendered by renderTaskAssets). Issues nothing when nothing is declared.
 */
export async function recordTaskAssets(tx: Drizzle, origin: TaskAssetOrigin, declared: DeclaredAssets): Promise<void> {
  await recordAssets(tx, toAssetOrigin(origin), declared);
}

export async function recordAssets(tx: Drizzle, origin: AssetOrigin, declared: DeclaredAssets): Promise<void> {
  if (declared.inputs.length === 0 && declared.outputs.length === 0) return;
  const outputIds = declared.outputs.map((output) => output.id);
  const inputsOnly = declared.inputs.map((input) => input.id).filter((id) => !outputIds.includes(id));
  const existing = await readAssets(tx, outputIds, inputsOnly);
  await tx.execute(writeStatement(origin, planRecord(existing, origin, declared)));
}

/** Marks an asset DELETED (the row, its edges and its history stay). */
export async function deleteAsset(tx: Drizzle, origin: AssetOrigin, id: string): Promise<'deleted' | 'already-deleted' | 'missing'> {
  const [row] = await rowsOf<{ deleted: boolean }>(tx, sql`select deleted_at is not null as deleted from assets where id = ${id} for no key update`);
  if (!row) return 'missing';
  if (row.deleted) return 'already-deleted';
  const event = { asset_id: id, kind: AssetEventKind.DELETED, details: {} };
  await tx.execute(sql`with del as (update assets set deleted_at = ${origin.at}::timestamptz, updated_at = ${origin.at}::timestamptz,
      updated_by = ${jsonb(origin)} where id = ${id})
    insert into asset_events (asset_id, kind, at, actor, execution_id, namespace, flow_id, task_id, task_run_id, details)
    values (${event.asset_id}, ${event.kind}, ${origin.at}::timestamptz, ${origin.actor}, ${origin.executionId}, ${origin.namespace},
      ${origin.flowId}, ${origin.taskId}, ${origin.taskRunId}, '{}'::jsonb)`);
  return 'deleted';
}
