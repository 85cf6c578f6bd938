import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAsset, recordTaskAssets, toAssetOrigin } from '../../../src/assets/record.js';
import type { DeclaredAssets, TaskAssetOrigin } from '../../../src/assets/types.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { Runs, counting } from './support.js';

/** recordTaskAssets itself: what it writes, in how many statements, and what it never duplicates. */
describe('recordTaskAssets', () => {
  let test: TestDatabase;
  let runs: Runs;
  beforeAll(async () => {
    test = await createTestDatabase();
    runs = new Runs(test.database);
  });
  afterAll(() => test.drop());

  const record = async (origin: TaskAssetOrigin, declared: DeclaredAssets) => {
    let statements = 0;
    await test.database.db.transaction(async (tx) => {
      const counted = counting(tx);
      await recordTaskAssets(counted.tx, origin, declared);
      statements = counted.statements();
    });
    return statements;
  };
  const asset = async (id: string) => (await test.database.rows<Record<string, unknown>>(sql`select * from assets where id = ${id}`))[0];
  const events = (id: string) =>
    test.database.rows<{ kind: string; details: Record<string, unknown>; execution_id: string; actor: string }>(
      sql`select kind, details, execution_id, actor from asset_events where asset_id = ${id} order by id`,
    );
  const edges = (prefix: string) =>
    test.database.rows<{ up: string; down: string }>(
      sql`select upstream_id as up, downstream_id as down from asset_edges where upstream_id like ${`${prefix}%`} order by 1, 2`,
    );

  it('creates missing inputs as EXTERNAL, links every input to every output, in two statements', async () => {
    const origin = runs.origin('provision', 'alice');
    const statements = await record(origin, {
      inputs: [{ id: 'r1-vm' }, { id: 'r1-ip' }],
      outputs: [{ id: 'r1-cert', type: 'Certificate', metadata: { issuer: 'LE' } }, { id: 'r1-dns', type: 'DNS' }],
    });
    expect(statements).toBe(2);
    expect(await asset('r1-vm')).toMatchObject({ type: 'EXTERNAL', namespace: 'company.infra', metadata: {} });
    expect(await asset('r1-cert')).toMatchObject({ type: 'Certificate', namespace: 'company.infra', metadata: { issuer: 'LE' } });
    expect(await edges('r1-')).toEqual([
      { up: 'r1-ip', down: 'r1-cert' },
      { up: 'r1-ip', down: 'r1-dns' },
      { up: 'r1-vm', down: 'r1-cert' },
      { up: 'r1-vm', down: 'r1-dns' },
    ]);
    expect(await events('r1-vm')).toEqual([
      { kind: 'CREATED', details: { type: 'EXTERNAL', external: true }, execution_id: origin.executionId, actor: 'alice' },
      { kind: 'USED', details: { outputs: ['r1-cert', 'r1-dns'] }, execution_id: origin.executionId, actor: 'alice' },
    ]);
    expect((await events('r1-cert')).map((event) => event.kind)).toEqual(['CREATED']);
  });

  it('issues no statement when nothing is declared', async () => {
    expect(await record(runs.origin('noop', 'alice'), { inputs: [], outputs: [] })).toBe(0);
  });

  it('merges metadata into an existing output and records the diff, never a second row', async () => {
    await record(runs.origin('cert', 'alice'), { inputs: [], outputs: [{ id: 'r2-cert', type: 'Certificate', metadata: { issuer: 'LE', valid_until: '2026-05-01' } }] });
    const renew = runs.origin('renew', 'bob');
    await record(renew, { inputs: [], outputs: [{ id: 'r2-cert', metadata: { valid_until: '2027-05-01', serial: 7 } }] });
    expect(await asset('r2-cert')).toMatchObject({ type: 'Certificate', metadata: { issuer: 'LE', valid_until: '2027-05-01', serial: 7 } });
    expect((await asset('r2-cert'))?.updated_by).toMatchObject({ executionId: renew.executionId, actor: 'bob', flowId: 'renew' });
    const [, updated] = await events('r2-cert');
    expect(updated).toEqual({
      kind: 'UPDATED',
      details: { metadata: { valid_until: { from: '2026-05-01', to: '2027-05-01' }, serial: { to: 7 } }, fields: {} },
      execution_id: renew.executionId,
      actor: 'bob',
    });
    await record(runs.origin('renew', 'bob'), { inputs: [], outputs: [{ id: 'r2-cert', type: 'Cert', metadata: { serial: 7 } }] });
    const last = (await events('r2-cert')).at(-1);
    expect(last?.details).toEqual({ metadata: {}, fields: { type: { from: 'Certificate', to: 'Cert' } } });
    await record(runs.origin('renew', 'bob'), { inputs: [], outputs: [{ id: 'r2-cert', metadata: { serial: 7 } }] });
    expect((await events('r2-cert')).at(-1)?.details).toEqual({ unchanged: true });
    const [count] = await test.database.rows<{ n: number }>(sql`select count(*)::int as n from assets where id = 'r2-cert'`);
    expect(count?.n).toBe(1);
  });

  it('records a redelivered completion of the same task run once', async () => {
    const origin = runs.origin('twice', 'alice');
    const declared: DeclaredAssets = { inputs: [{ id: 'r3-src' }], outputs: [{ id: 'r3-out', type: 'File', metadata: { n: 1 } }] };
    await record(origin, declared);
    await record(origin, declared);
    expect((await events('r3-out')).map((event) => event.kind)).toEqual(['CREATED']);
    expect((await events('r3-src')).map((event) => event.kind)).toEqual(['CREATED', 'USED']);
  });

  it('types a new output without a type UNKNOWN, keeps the type of an existing one, and ignores self-edges', async () => {
    await record(runs.origin('loose', 'alice'), { inputs: [], outputs: [{ id: 'r4-thing' }] });
    expect(await asset('r4-thing')).toMatchObject({ type: 'UNKNOWN' });
    const origin = runs.origin('touch', 'alice');
    await record(origin, { inputs: [{ id: 'r4-thing' }], outputs: [{ id: 'r4-thing', metadata: { touched: true } }] });
    expect(await edges('r4-')).toEqual([]);
    expect((await events('r4-thing')).map((event) => event.kind)).toEqual(['CREATED', 'USED', 'UPDATED']);
  });

  it('re-creates a deleted output, keeping its history', async () => {
    await record(runs.origin('make', 'alice'), { inputs: [], outputs: [{ id: 'r5-snap', type: 'Snapshot', metadata: { size: 1 } }] });
    const removal = runs.origin('remove', 'bob');
    await test.database.db.transaction((tx) => deleteAsset(tx, toAssetOrigin(removal), 'r5-snap'));
    expect((await asset('r5-snap'))?.deleted_at).not.toBeNull();
    expect(await test.database.db.transaction((tx) => deleteAsset(tx, toAssetOrigin(removal), 'r5-snap'))).toBe('already-deleted');
    expect(await test.database.db.transaction((tx) => deleteAsset(tx, toAssetOrigin(removal), 'r5-nothing'))).toBe('missing');
    await record(runs.origin('make', 'alice'), { inputs: [], outputs: [{ id: 'r5-snap', metadata: { size: 2 } }] });
    expect(await asset('r5-snap')).toMatchObject({ deleted_at: null, type: 'Snapshot', metadata: { size: 2 } });
    expect(await events('r5-snap')).toMatchObject([
      { kind: 'CREATED' },
      { kind: 'DELETED', actor: 'bob' },
      { kind: 'CREATED', details: { recreated: true, type: 'Snapshot', metadata: { size: 2 } } },
    ]);
  });

  it('keeps one row and every key when executions write the same new asset at once', async () => {
    const writers = Array.from({ length: 5 }, (_, index) =>
      record(runs.origin(`race${index}`, 'alice'), { inputs: [{ id: 'r6-shared-input' }], outputs: [{ id: 'r6-race', type: 'File', metadata: { [`k${index}`]: index } }] }),
    );
    await Promise.all(writers);
    expect(await asset('r6-race')).toMatchObject({ metadata: { k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 } });
    const kinds = (await events('r6-race')).map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'CREATED')).toHaveLength(1);
    expect(kinds).toHaveLength(5);
    const [external] = await test.database.rows<{ n: number }>(sql`select count(*)::int as n from asset_events where asset_id = 'r6-shared-input' and kind = 'CREATED'`);
    expect(external?.n).toBe(1);
  });

  it('does not deadlock when two executions create each other\'s new inputs and outputs at once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const [x, y] = [`r7-x${round}`, `r7-y${round}`];
      await Promise.all([
        record(runs.origin('cross-a', 'alice'), { inputs: [{ id: x }], outputs: [{ id: y, type: 'File' }] }),
        record(runs.origin('cross-b', 'bob'), { inputs: [{ id: y }], outputs: [{ id: x, type: 'File' }] }),
      ]);
      const rows = await test.database.rows<{ id: string; type: string }>(sql`select id, type from assets where id in (${x}, ${y}) order by id`);
      // Whoever inserted first, the declared output type wins over the EXTERNAL stand-in.
      expect(rows).toEqual([{ id: x, type: 'File' }, { id: y, type: 'File' }]);
    }
  });
});
