import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { PatchbayService } from '../../../src/service/service.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';

/**
 * Group commit and the snapshot cache: completions of many executions commit together, the
 * next task starts on the committing worker, and a replica whose cached task runs are stale
 * (another replica changed the execution) notices it from the version and reads them again.
 */
const chain = `
id: chain
namespace: batch
tasks:
${Array.from({ length: 6 }, (_, i) => `  - id: step${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ ${i === 0 ? "'s'" : `outputs.step${i - 1}.value ~ '${i}'`} }}"`).join('\n')}
`;
const gate = `
id: gate
namespace: batch
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "resumed by {{ outputs.wait.resumedBy ?? 'someone' }}"
`;

describe('batched completions and cached snapshots', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine({ worker: { concurrency: 16 } });
    await engine.load(chain, gate);
  });
  afterAll(() => engine.close());

  it('runs 30 executions concurrently with each task exactly once and outputs threaded through', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => engine.service.start('batch.chain', {}, { as: 'alice' })));
    const views = await Promise.all(ids.map((id) => engine.service.settle(id, 20)));
    for (const view of views) {
      expect(view.state).toBe('SUCCESS');
      expect(view.taskRuns.map((run) => run.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(view.taskRuns.find((run) => run.taskId === 'step5')?.outputs).toEqual({ value: 's12345' });
    }
    const [row] = await engine.service.database.rows<{ n: number }>(
      sql`select count(*)::int as n from task_runs where execution_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
    );
    expect(row?.n).toBe(180);
  });

  it('notices when another replica changed an execution it has cached', async () => {
    const id = await engine.service.start('batch.gate', {}, { as: 'alice' });
    expect((await engine.service.settle(id, 20)).state).toBe('PAUSED');
    // A second service on the same database (another replica): its resume bumps the version.
    const config = loadConfig({ PATCHBAY_DATA_DIR: engine.dir, PATCHBAY_FLOWS_DIR: engine.dir }, engine.dir);
    const replica = await PatchbayService.open({ config, database: engine.service.database });
    const outcome = await replica.decide({ executionId: id, actor: 'bob', approve: true });
    expect(outcome.applied).toBe(true);
    // The first service's worker runs `after` from its own, now stale, cache entry: it must re-read.
    const view = await engine.service.settle(id, 20);
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns.map((run) => [run.taskId, run.state])).toEqual([
      ['wait', 'SUCCESS'],
      ['after', 'SUCCESS'],
    ]);
    const [version] = await engine.service.database.rows<{ version: number }>(sql`select version from executions where id = ${id}`);
    expect(Number(version?.version)).toBeGreaterThanOrEqual(3);
    await replica.close();
  });
});
