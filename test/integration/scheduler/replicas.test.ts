import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, spawnPatchbay, waitForOutput } from '../../support/cli-process.js';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../support/database.js';

/**
 * Two `patchbay worker` processes (each with its scheduler, its own connections) on one
 * PostgreSQL, one trigger every second for 10 s: each fire time starts exactly one execution.
 */
const flow = `
id: heartbeat
namespace: replicas.sched
tasks:
  - id: beat
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: every-second
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    allowConcurrent: true
`;

describe.runIf(onPostgres())('schedules across two replica processes on PostgreSQL', () => {
  let test: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    test = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-sched-replicas-'));
    await writeFile(path.join(dir, 'heartbeat.yaml'), flow);
  });
  afterAll(async () => {
    await test.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts exactly one execution per fire time', async () => {
    const env = { DATABASE_URL: test.url, PATCHBAY_FLOWS_DIR: dir, PATCHBAY_DATA_DIR: dir };
    const workers = [spawnPatchbay(['worker'], env), spawnPatchbay(['worker'], env)];
    const exits = workers.map(finished);
    await Promise.all(workers.map((child) => waitForOutput(child, /scheduler: replicas\.sched\.heartbeat\/every-second next/, 60_000)));
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    for (const child of workers) child.kill('SIGTERM');
    const results = await Promise.all(exits);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const elapsed = (Date.now() - started) / 1000;

    const fires = await test.database.rows<{ fire: string; execution: string }>(
      sql`select fire_time as fire, execution_id as execution from trigger_fires order by fire_time`,
    );
    const runs = await test.database.rows<{ id: string; date: string }>(
      sql`select id, trigger->>'date' as date from executions where flow_id = 'heartbeat'`,
    );
    expect(fires.length).toBeGreaterThanOrEqual(9);
    expect(fires.length).toBeLessThanOrEqual(Math.ceil(elapsed) + 6);
    // One execution per fire, one fire per execution, one execution per trigger.date.
    expect(runs.length).toBe(fires.length);
    expect(new Set(runs.map((run) => run.date)).size).toBe(runs.length);
    expect(new Set(fires.map((row) => row.execution))).toEqual(new Set(runs.map((run) => run.id)));
    // Consecutive fire times one second apart: nothing skipped while both ran.
    const times = fires.map((row) => new Date(row.fire).getTime());
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBe(1000);
    // Both schedulers were really there: each saw the other's fires (lost races) or fired itself.
    const outputs = results.map((result) => (result.stderr.match(/every-second fired/g) ?? []).length);
    expect(outputs.reduce((a, b) => a + b, 0)).toBe(fires.length);
  }, 120_000);
});
