import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { eventually, executionsOf, fakeClock } from './support.js';

/** The scheduler on the test database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
const everySecond = `
id: ticker
namespace: sched.test
inputs:
  - id: when
    type: STRING
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "fired at {{ trigger.date }} (previous {{ trigger.previous }}, next {{ trigger.next }})"
triggers:
  - id: each-second
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    inputs:
      when: "{{ trigger.date }}"
  - id: off
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    disabled: true
`;

const minutely = (policy: string) => `
id: minutely-${policy.toLowerCase()}
namespace: sched.test
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: every-minute
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
    timezone: Europe/Paris
    recoverMissedSchedules: ${policy}
`;

describe('scheduler', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await createTestEngine();
  });
  afterEach(async () => {
    await engine.close();
  });

  it('fires a withSeconds trigger with rendered inputs and trigger variables, never the disabled one, and stops cleanly', async () => {
    await engine.load(everySecond);
    const scheduler = new Scheduler({ database: engine.test.database, engine: engine.service.engine, flows: engine.service.flows, refreshMs: 60_000 });
    await scheduler.start();
    expect(scheduler.armedTriggers().find((t) => t.key.endsWith('/off'))?.due).toBeUndefined();
    const rows = await eventually(async () => {
      const found = await executionsOf(engine.test.database, 'ticker');
      return found.length >= 2 ? found : undefined;
    });
    await scheduler.stop();
    expect(scheduler.timerPending).toBe(false);
    const first = rows[0]!;
    expect(first.createdBy).toBe('schedule:ticker/each-second');
    expect(first.trigger).toMatchObject({ type: 'schedule', id: 'each-second', timezone: 'UTC' });
    expect(first.inputs.when).toBe(first.trigger.date);
    const date = Date.parse(String(first.trigger.date));
    expect(Date.parse(String(first.trigger.next)) - date).toBe(1000);
    expect(date - Date.parse(String(first.trigger.previous))).toBe(1000);
    // Nothing fires after stop.
    const count = (await executionsOf(engine.test.database, 'ticker')).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await executionsOf(engine.test.database, 'ticker')).length).toBe(count);
    const creators = new Set((await executionsOf(engine.test.database, 'ticker')).map((row) => row.createdBy));
    expect([...creators]).toEqual(['schedule:ticker/each-second']);
    const [state] = await engine.test.database.rows<{ last: string }>(sql`select last_fire as last from trigger_state where trigger_id = 'each-second'`);
    expect(state?.last).toBeTruthy();
  });

  it('recovers the fires missed while stopped per recoverMissedSchedules: ALL → 3, LAST → 1, NONE → 0', async () => {
    await engine.load(minutely('ALL'), minutely('LAST'), minutely('NONE'));
    const clock = fakeClock('2025-01-06T10:00:30Z');
    const options = { database: engine.test.database, engine: engine.service.engine, flows: engine.service.flows, clock: clock.now, refreshMs: 600_000 };
    const before = new Scheduler(options);
    await before.start();
    // The 10:01 fire happens while running (the timer is re-armed against the moved clock).
    clock.set('2025-01-06T10:01:00.200Z');
    await before.refreshNow();
    await eventually(async () => (await engine.test.database.rows(sql`select 1 from trigger_fires`)).length === 3);
    await before.stop();
    expect(before.timerPending).toBe(false);

    // Down across 10:02, 10:03 and 10:04; back at 10:04:30.
    clock.set('2025-01-06T10:04:30Z');
    const after = new Scheduler(options);
    await after.start();
    await after.stop();
    const recovered = await engine.test.database.rows<{ flow: string; fire: string }>(
      sql`select flow_id as flow, fire_time as fire from trigger_fires where source = 'recovery' order by flow_id, fire_time`,
    );
    const byFlow = (flow: string) => recovered.filter((row) => row.flow === flow).map((row) => new Date(row.fire).toISOString());
    expect(byFlow('minutely-all')).toEqual(['2025-01-06T10:02:00.000Z', '2025-01-06T10:03:00.000Z', '2025-01-06T10:04:00.000Z']);
    expect(byFlow('minutely-last')).toEqual(['2025-01-06T10:04:00.000Z']);
    expect(byFlow('minutely-none')).toEqual([]);
    expect((await executionsOf(engine.test.database, 'minutely-all')).length).toBe(4);
    expect((await executionsOf(engine.test.database, 'minutely-last')).length).toBe(2);
    expect((await executionsOf(engine.test.database, 'minutely-none')).length).toBe(1);
    // A recovered run knows its own fire time (10:02 in Paris is 11:02+01:00).
    const dates = (await executionsOf(engine.test.database, 'minutely-all')).map((row) => row.trigger.date);
    expect(dates).toContain('2025-01-06T11:02:00+01:00');
    // Starting again at the same moment recovers nothing twice.
    const again = new Scheduler(options);
    await again.start();
    await again.stop();
    expect((await executionsOf(engine.test.database, 'minutely-all')).length).toBe(4);
  });
});
