import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { PatchbayService } from '../../../src/service/service.js';
import { finished, spawnPatchbay } from '../../support/cli-process.js';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../support/database.js';

/**
 * Two worker processes on one PostgreSQL share 200 executions. Each task writes a KV key
 * that must not exist yet (overwrite: false), so a task run twice would fail its execution.
 */
const flow = `
id: ledger
namespace: replicas
tasks:
  - id: one
    type: io.kestra.plugin.core.kv.Set
    key: "{{ execution.id }}-one"
    value: 1
    overwrite: false
  - id: two
    type: io.kestra.plugin.core.kv.Set
    key: "{{ execution.id }}-two"
    value: 2
    overwrite: false
  - id: three
    type: io.kestra.plugin.core.kv.Set
    key: "{{ execution.id }}-three"
    value: 3
    overwrite: false
`;

describe.runIf(onPostgres())('two replicas on PostgreSQL', () => {
  let test: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    test = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-replicas-'));
    await writeFile(path.join(dir, 'ledger.yaml'), flow);
  });
  afterAll(async () => {
    await test.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs each of 600 tasks exactly once across two worker processes', async () => {
    const config = loadConfig({ PATCHBAY_FLOWS_DIR: dir, PATCHBAY_DATA_DIR: dir }, dir);
    const service = await PatchbayService.open({ config, database: test.database });
    await service.syncFlows();
    const ids = [];
    for (let i = 0; i < 200; i += 1) ids.push(await service.start('replicas.ledger', {}, { as: 'test' }));
    const env = { DATABASE_URL: test.url, PATCHBAY_FLOWS_DIR: dir, PATCHBAY_DATA_DIR: dir };
    const workers = [spawnPatchbay(['worker', '--until-idle'], env), spawnPatchbay(['worker', '--until-idle'], env)];
    const results = await Promise.all(workers.map(finished));
    for (const result of results) expect(result.code, result.stderr).toBe(0);

    const states = await test.database.rows<{ state: string; n: number }>(sql`select state, count(*)::int as n from executions group by state`);
    expect(states).toEqual([{ state: 'SUCCESS', n: 200 }]);
    const [keys] = await test.database.rows<{ n: number }>(sql`select count(*)::int as n from kv where namespace = 'replicas'`);
    expect(keys?.n).toBe(600);
    const attempts = await test.database.rows<{ worker: string; n: number }>(
      sql`select a ->> 'worker' as worker, count(*)::int as n from task_runs, jsonb_array_elements(attempts) a group by 1`,
    );
    expect(attempts.reduce((sum, row) => sum + row.n, 0)).toBe(600);
    expect(attempts).toHaveLength(2);
    await service.close();
  }, 120_000);
});
