import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { eventually, executionsOf, stateOf, waitForState } from './support.js';

/** Flow concurrency (every start) and the no-overlap default of scheduled runs, on the test database. */
const gated = (id: string, concurrency: string) => `
id: ${id}
namespace: conc.test
${concurrency}
tasks:
  - id: gate
    type: io.kestra.plugin.core.flow.Pause
`;

const scheduled = (id: string, extra: string) => `
id: ${id}
namespace: conc.test
tasks:
  - id: gate
    type: io.kestra.plugin.core.flow.Pause
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * *"
    timezone: Europe/Paris
${extra}
`;

describe('concurrency', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(
      gated('queue', 'concurrency: { limit: 1 }'),
      gated('cancel', 'concurrency: { limit: 1, behavior: CANCEL }'),
      gated('fail', 'concurrency: { limit: 1, behavior: FAIL }'),
      gated('two', 'concurrency: { limit: 2, behavior: QUEUE }'),
      scheduled('nightly-default', ''),
      scheduled('nightly-overlap', '    allowConcurrent: true'),
    );
  });
  afterAll(async () => {
    await engine.close();
  });

  it('QUEUE holds a run beyond the limit and starts the oldest when a slot frees; a killed queued run never starts', async () => {
    const first = (await engine.run('conc.test.queue')).id;
    expect(await stateOf(engine.service, first)).toBe('PAUSED');
    const second = await engine.service.start('conc.test.queue', {}, { as: 'bob' });
    const third = await engine.service.start('conc.test.queue', {}, { as: 'carol' });
    const fourth = await engine.service.start('conc.test.queue', {}, { as: 'dave' });
    expect([await stateOf(engine.service, second), await stateOf(engine.service, third)]).toEqual(['QUEUED', 'QUEUED']);
    await engine.service.kill(third, 'carol');
    expect(await stateOf(engine.service, third)).toBe('KILLED');
    await engine.service.kill(first, 'alice');
    await waitForState(engine.service, second, 'PAUSED');
    expect(await stateOf(engine.service, fourth)).toBe('QUEUED');
    await engine.service.kill(second, 'bob');
    await waitForState(engine.service, fourth, 'PAUSED');
    expect(await stateOf(engine.service, third)).toBe('KILLED');
    await engine.service.kill(fourth, 'dave');
  });

  it('a limit above one admits that many at once', async () => {
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push(await engine.service.start('conc.test.two', {}, { as: 'alice' }));
    await waitForState(engine.service, ids[0]!, 'PAUSED');
    await waitForState(engine.service, ids[1]!, 'PAUSED');
    expect(await stateOf(engine.service, ids[2]!)).toBe('QUEUED');
    for (const id of ids) await engine.service.kill(id, 'alice');
  });

  it('CANCEL and FAIL refuse a run beyond the limit with the reason', async () => {
    for (const [flow, state, words] of [['cancel', 'CANCELLED', /cancelled: flow conc\.test\.cancel already has 1 running execution \(concurrency limit 1\)/], ['fail', 'FAILED', /concurrency limit 1\), behavior FAIL/]] as const) {
      const running = (await engine.run(`conc.test.${flow}`)).id;
      const refused = await engine.service.start(`conc.test.${flow}`, {}, { as: 'bob' });
      const view = await engine.service.execution(refused);
      expect(view.state).toBe(state);
      expect(view.error).toMatch(words);
      expect(view.endedAt).toBeTruthy();
      await engine.service.kill(running, 'alice');
    }
  });

  it('scheduled runs of one trigger do not overlap unless allowConcurrent; a repeated backfill starts nothing', async () => {
    const range = { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-03-03T12:00:00Z') };
    const result = await engine.service.backfill({ flow: 'conc.test.nightly-default', triggerId: 'nightly', ...range });
    expect(result.started.map((run) => run.fireTime.toISOString())).toEqual(['2025-03-01T01:00:00.000Z', '2025-03-02T01:00:00.000Z', '2025-03-03T01:00:00.000Z']);
    expect(result.started.map((run) => run.state)).toEqual(['CREATED', 'QUEUED', 'QUEUED']);
    const again = await engine.service.backfill({ flow: 'conc.test.nightly-default', ...range });
    expect(again.started).toEqual([]);
    expect(again.alreadyDone).toHaveLength(3);
    const [a, b, c] = result.started.map((run) => run.executionId) as [string, string, string];
    await waitForState(engine.service, a, 'PAUSED');
    await engine.service.kill(a, 'ops');
    await waitForState(engine.service, b, 'PAUSED');
    expect(await stateOf(engine.service, c)).toBe('QUEUED');
    await engine.service.kill(b, 'ops');
    await waitForState(engine.service, c, 'PAUSED');
    await engine.service.kill(c, 'ops');

    const overlap = await engine.service.backfill({ flow: 'conc.test.nightly-overlap', ...range });
    expect(overlap.started.map((run) => run.state)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    const rows = await eventually(async () => {
      const found = await executionsOf(engine.test.database, 'nightly-overlap');
      return found.every((row) => row.state === 'PAUSED') ? found : undefined;
    });
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row.trigger.date)).toEqual(['2025-03-01T02:00:00+01:00', '2025-03-02T02:00:00+01:00', '2025-03-03T02:00:00+01:00']);
    for (const row of rows) await engine.service.kill(row.id, 'ops');
  });

  it('backfill refuses unknown triggers, reversed and future ranges with a clear message', async () => {
    const from = new Date('2025-03-01T00:00:00Z');
    await expect(engine.service.backfill({ flow: 'conc.test.nightly-default', triggerId: 'weekly', from, to: from })).rejects.toThrow(
      /flow conc\.test\.nightly-default has no Schedule trigger `weekly` \(its Schedule triggers: nightly\)/,
    );
    await expect(engine.service.backfill({ flow: 'conc.test.nightly-default', from, to: new Date('2025-02-01T00:00:00Z') })).rejects.toThrow(/is after --to/);
    await expect(engine.service.backfill({ flow: 'conc.test.nightly-default', from, to: new Date(Date.now() + 86_400_000) })).rejects.toThrow(/in the future/);
    await expect(engine.service.backfill({ flow: 'conc.test.queue', from, to: from })).rejects.toThrow(/has no Schedule trigger/);
  });
});
